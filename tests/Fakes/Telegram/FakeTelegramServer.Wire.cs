using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OpenClaw.Channels.Fakes.Telegram;

/// <content>Wire format: parameters from query, form or JSON body; <c>{"ok":…}</c> answers.</content>
public sealed partial class FakeTelegramServer
{
    private static async Task<JsonObject> ReadParametersAsync(HttpRequest request)
    {
        var result = new JsonObject();
        foreach (var (key, value) in request.Query)
        {
            result[key] = ParseValue(value.ToString());
        }

        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            foreach (var (key, value) in form)
            {
                result[key] = ParseValue(value.ToString());
            }

            return result;
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        if (body.Trim().Length > 0 && JsonNode.Parse(body) is JsonObject json)
        {
            foreach (var (key, value) in json)
            {
                result[key] = value?.DeepClone();
            }
        }

        return result;
    }

    private static JsonNode? ParseValue(string value)
    {
        var t = value.TrimStart();
        if (t.StartsWith('{') || t.StartsWith('['))
        {
            try
            {
                return JsonNode.Parse(value);
            }
            catch (JsonException)
            {
                // Not JSON after all: keep the string.
            }
        }

        return JsonValue.Create(value);
    }

    private static string? Str(JsonObject parameters, string name) => parameters[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var node => node.ToJsonString(),
    };

    private static long? Long(JsonObject parameters, string name)
        => long.TryParse(Str(parameters, name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static int? Int(JsonObject parameters, string name)
        => int.TryParse(Str(parameters, name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static bool? Bool(JsonObject parameters, string name)
        => parameters[name] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            var node => bool.TryParse(node.ToString(), out var b) ? b : null,
        };

    private static Task OkAsync(HttpContext context, JsonNode? result, string? description = null)
    {
        var body = new JsonObject { ["ok"] = true, ["result"] = result };
        if (description is not null)
        {
            body["description"] = description;
        }

        return WriteAsync(context, 200, body);
    }

    private static Task ErrorAsync(HttpContext context, int code, string description, int? retryAfter = null)
    {
        var body = new JsonObject { ["ok"] = false, ["error_code"] = code, ["description"] = description };
        if (retryAfter is { } after)
        {
            body["parameters"] = new JsonObject { ["retry_after"] = after };
        }

        return WriteAsync(context, code, body);
    }

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
