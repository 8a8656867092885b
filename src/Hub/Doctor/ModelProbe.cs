using System.Text.Json;
using OpenClaw.Channels.Agent;

namespace OpenClaw.Channels.Hub.Doctor;

/// <summary>The model: <c>GET {Agent:Endpoint}/models</c> (OpenAI's List models); when that is not served or does not
/// list <c>Agent:Model</c>, a 1-token <c>POST {Agent:Endpoint}/chat/completions</c> (platform.openai.com/docs/api-reference).</summary>
internal static class ModelProbe
{
    public static async Task<DoctorResult> ProbeAsync(IConfiguration configuration, DoctorHttp http, CancellationToken cancellationToken)
    {
        var section = configuration.GetSection(AgentOptions.SectionName);
        var endpoint = section[nameof(AgentOptions.Endpoint)];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return DoctorResult.Skipped("model", "not configured (set Agent:Endpoint and Agent:Model); every message gets a 'not configured' reply");
        }

        var model = section[nameof(AgentOptions.Model)] is { Length: > 0 } m ? m : new AgentOptions().Model;
        var key = section[nameof(AgentOptions.ApiKey)];
        var baseUrl = endpoint.TrimEnd('/');
        var host = Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : baseUrl;

        var list = await http.SendAsync(HttpMethod.Get, baseUrl + "/models", key, null, cancellationToken).ConfigureAwait(false);
        if (list.TransportError is { } error)
        {
            return DoctorResult.Failed("model", $"{host}: {error}", "Agent:Endpoint");
        }

        if (list.Status is 401 or 403)
        {
            return DoctorResult.Failed("model", $"{host} /models: {list.Describe(ErrorText(list))}", "Agent:ApiKey");
        }

        if (list.IsSuccess && Ids(list) is { } ids && ids.Contains(model, StringComparer.Ordinal))
        {
            return DoctorResult.Ok("model", $"{model} at {host} (listed by /models among {ids.Count})");
        }

        var completion = await http.SendAsync(
            HttpMethod.Post,
            baseUrl + "/chat/completions",
            key,
            new { model, messages = new[] { new { role = "user", content = "ping" } }, max_tokens = 1 },
            cancellationToken).ConfigureAwait(false);
        if (completion.IsSuccess)
        {
            return DoctorResult.Ok("model", $"{model} at {host} (a 1-token completion answered)");
        }

        var fix = completion.Status switch
        {
            401 or 403 => "Agent:ApiKey",
            404 or 400 when ErrorText(completion)?.Contains("model", StringComparison.OrdinalIgnoreCase) == true => "Agent:Model",
            _ => "Agent:Endpoint",
        };
        return DoctorResult.Failed("model", $"{model} at {host} /chat/completions: {completion.Describe(ErrorText(completion))}", fix);
    }

    private static List<string>? Ids(DoctorResponse response)
        => response.Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
            ? data.EnumerateArray().Select(e => e.TryGetProperty("id", out var id) ? id.GetString() : null).OfType<string>().ToList()
            : null;

    private static string? ErrorText(DoctorResponse response)
        => response.Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("error", out var error)
            ? error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message) ? message.GetString() : error.ToString()
            : null;
}
