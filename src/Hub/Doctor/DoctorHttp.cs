using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OpenClaw.Channels.Hub.Doctor;

/// <summary>The doctor's HTTP calls: one request, the status and the JSON body (or the transport error's text).
/// Request URLs may carry tokens (Telegram's <c>/bot{token}/</c>), so no URL ever reaches a result.</summary>
internal sealed class DoctorHttp(HttpClient http)
{
    public async Task<DoctorResponse> SendAsync(HttpMethod method, string url, string? bearer, object? json, CancellationToken cancellationToken, string scheme = "Bearer")
    {
        using var request = new HttpRequestMessage(method, url);
        if (!string.IsNullOrEmpty(bearer))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme, bearer);
        }

        if (json is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(json), Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            JsonElement? body = null;
            try
            {
                body = text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException)
            {
                // not JSON: the status alone tells
            }

            return new DoctorResponse((int)response.StatusCode, response.ReasonPhrase, body, null);
        }
        catch (HttpRequestException ex)
        {
            return new DoctorResponse(0, null, null, ex.HttpRequestError == HttpRequestError.Unknown ? ex.Message : $"{ex.HttpRequestError}: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DoctorResponse(0, null, null, $"no answer within {http.Timeout.TotalSeconds:0} s");
        }
    }
}

/// <summary>An HTTP answer as the doctor sees it.</summary>
/// <param name="Status">HTTP status; 0 when no answer came.</param>
/// <param name="Reason">HTTP reason phrase.</param>
/// <param name="Body">The JSON body, when it was JSON.</param>
/// <param name="TransportError">Why no answer came (connection refused, DNS, timeout), else null.</param>
internal sealed record DoctorResponse(int Status, string? Reason, JsonElement? Body, string? TransportError)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public string? String(string property)
        => Body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>How the call failed: the transport error, or the status with the platform's own words when present.</summary>
    public string Describe(string? platformText)
        => TransportError ?? (string.IsNullOrEmpty(platformText) ? $"HTTP {Status} {Reason}" : $"HTTP {Status}: {platformText}");
}
