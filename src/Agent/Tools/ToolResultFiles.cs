using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace OpenClaw.Channels.Agent;

/// <summary>Takes the files out of a tool's result: Microsoft.Extensions.AI <see cref="DataContent"/> (alone, in an
/// <c>IEnumerable&lt;AIContent&gt;</c>, or serialized as <c>{"$type":"data",…}</c>) becomes an <see cref="OutboundFile"/>
/// of the answer, and the model gets a short text in its place (name, media type, size, how to place it), never the
/// bytes. Text parts of the result stay. A file above <see cref="AgentOptions.MaxToolFileBytes"/> is not sent and the
/// model is told so.</summary>
internal static class ToolResultFiles
{
    /// <summary>Moves the files of <paramref name="result"/> into <paramref name="files"/>.</summary>
    /// <param name="result">The tool's result.</param>
    /// <param name="toolName">The tool's name (for default file names).</param>
    /// <param name="files">The answer's files so far; names stay unique across them.</param>
    /// <param name="maxBytes">The largest file kept, in bytes.</param>
    /// <returns><paramref name="result"/> itself when it has no file; else the text for the model.</returns>
    public static object? Take(object? result, string toolName, List<OutboundFile> files, long maxBytes)
    {
        if (Contents(result) is not { } contents || !contents.OfType<DataContent>().Any())
        {
            return result;
        }

        var text = new StringBuilder();
        foreach (var content in contents)
        {
            var line = content switch
            {
                DataContent data => Describe(data, toolName, files, maxBytes),
                TextContent t => t.Text,
                _ => JsonSerializer.Serialize(content, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(AIContent))),
            };
            text.Append(text.Length == 0 ? string.Empty : "\n").Append(line);
        }

        return text.ToString();
    }

    private static string Describe(DataContent data, string toolName, List<OutboundFile> files, long maxBytes)
    {
        var name = UniqueName(FileName(data, toolName, files.Count + 1), files);
        var size = OutboundFile.FormatSize(data.Data.Length);
        if (data.Data.Length > maxBytes)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"The tool returned the file \"{name}\" ({data.MediaType}, {size}), which is larger than the {OutboundFile.FormatSize(maxBytes)} the assistant may send; it is not sent.");
        }

        files.Add(new OutboundFile(name, data.MediaType, data.Data));
        return $"The tool returned the file \"{name}\" ({data.MediaType}, {size}). It is sent to the user with your answer, after your text; to show it at another place, write ![short description](attachment:{name}) there.";
    }

    private static List<AIContent>? Contents(object? result) => result switch
    {
        AIContent content => [content],
        IEnumerable<AIContent> many => [.. many],
        JsonElement { ValueKind: JsonValueKind.Object or JsonValueKind.Array } json when json.GetRawText().Contains("\"$type\"", StringComparison.Ordinal) => Deserialize(json),
        _ => null,
    };

    private static List<AIContent>? Deserialize(JsonElement json)
    {
        try
        {
            return json.ValueKind == JsonValueKind.Array
                ? json.Deserialize<List<AIContent>>(AIJsonUtilities.DefaultOptions)
                : json.Deserialize<AIContent>(AIJsonUtilities.DefaultOptions) is { } one ? [one] : null;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or FormatException)
        {
            return null; // ordinary JSON that happens to have a "$type" property
        }
    }

    private static string FileName(DataContent data, string toolName, int ordinal)
    {
        var name = Path.GetFileName(data.Name ?? string.Empty);
        if (name.Length == 0)
        {
            name = string.Create(CultureInfo.InvariantCulture, $"{toolName}-{ordinal}.{Extension(data.MediaType)}");
        }

        var safe = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-');
        }

        return safe.Length > 100 ? safe.ToString(safe.Length - 100, 100) : safe.ToString();
    }

    private static string UniqueName(string name, List<OutboundFile> files)
    {
        var candidate = name;
        var stem = Path.GetFileNameWithoutExtension(name);
        var extension = Path.GetExtension(name);
        for (var n = 2; files.Exists(f => string.Equals(f.Name, candidate, StringComparison.Ordinal)); n++)
        {
            candidate = string.Create(CultureInfo.InvariantCulture, $"{stem}-{n}{extension}");
        }

        return candidate;
    }

    private static string Extension(string mediaType) => mediaType.ToLowerInvariant() switch
    {
        "image/jpeg" => "jpg",
        "image/svg+xml" => "svg",
        "text/plain" => "txt",
        "text/markdown" => "md",
        "application/octet-stream" => "bin",
        var m when m.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 && m[(slash + 1)..] is { Length: > 0 and <= 10 } subtype
            && subtype.All(char.IsAsciiLetterOrDigit) => subtype,
        _ => "bin",
    };
}
