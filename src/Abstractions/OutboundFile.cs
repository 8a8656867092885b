using System.Globalization;

namespace OpenClaw.Channels;

/// <summary>A file the answer carries as bytes (a tool returned it as Microsoft.Extensions.AI <c>DataContent</c>), sent
/// as the platform's native image or file message: Telegram <c>sendPhoto</c>/<c>sendDocument</c> (multipart), Slack
/// <c>files.getUploadURLExternal</c> → upload → <c>files.completeUploadExternal</c>, Discord a multipart attachment.
/// A channel that cannot send it, or a file above the platform's limit, gets <see cref="Placeholder"/> as text instead.</summary>
/// <param name="Name">The file name, e.g. <c>chart.png</c>; unique among the files of one answer, so the answer can place
/// it with <c>![alt](attachment:chart.png)</c>.</param>
/// <param name="MediaType">The IANA media type, e.g. <c>image/png</c> or <c>application/pdf</c>.</param>
/// <param name="Data">The bytes.</param>
/// <param name="Alt">A short description (alt text, caption), or null.</param>
public sealed record OutboundFile(string Name, string MediaType, ReadOnlyMemory<byte> Data, string? Alt = null)
{
    /// <summary>The URI scheme of a reference to a file of the answer: <c>![alt](attachment:NAME)</c>.</summary>
    public const string ReferenceScheme = "attachment:";

    /// <summary>True when <see cref="MediaType"/> is <c>image/*</c>.</summary>
    public bool IsImage => MediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase);

    /// <summary>Size of <see cref="Data"/>, in bytes.</summary>
    public long SizeBytes => Data.Length;

    /// <summary>The text that stands for the file where it cannot be sent: <c>[file: report.pdf, 10 MB]</c>
    /// (<c>[image: …]</c> for images), with <paramref name="note"/> after a dash when given.</summary>
    /// <param name="note">Why it was not sent, e.g. <c>too large for Telegram (limit 10 MB)</c>; null for none.</param>
    /// <returns>The placeholder text.</returns>
    public string Placeholder(string? note = null)
    {
        var text = string.Concat("[", IsImage ? "image: " : "file: ", Name, ", ", FormatSize(SizeBytes));
        return note is null ? text + "]" : string.Concat(text, " — ", note, "]");
    }

    /// <summary>A size for people: <c>512 B</c>, <c>47 KB</c>, <c>5 MB</c>, <c>2.5 MB</c> (1 KB = 1024 bytes).</summary>
    /// <param name="bytes">The size in bytes.</param>
    /// <returns>The formatted size.</returns>
    public static string FormatSize(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{Math.Round(bytes / 1024.0):0} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };
}
