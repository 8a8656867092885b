using System.Text.Json;

namespace OpenClaw.Channels.Adapters;

/// <summary>What the adapters' API clients do alike around one HTTP call: a network failure and the HttpClient's
/// timeout become the adapter's exception (told apart from the caller's cancellation, which propagates), and a JSON
/// body is read whole into a detached <see cref="JsonElement"/>. The exception (type, message, error code) stays the
/// adapter's: a delegate builds it.</summary>
public static class PlatformHttp
{
    /// <summary>Sends <paramref name="request"/>.</summary>
    /// <param name="client">The adapter's HttpClient.</param>
    /// <param name="request">The request (the caller disposes it).</param>
    /// <param name="fail">Builds the exception thrown for <see cref="PlatformCallFailure.Network"/> or
    /// <see cref="PlatformCallFailure.Timeout"/>, given the cause.</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    /// <returns>The response (the caller disposes it).</returns>
    /// <exception cref="Exception">What <paramref name="fail"/> built.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient client,
        HttpRequestMessage request,
        Func<PlatformCallFailure, Exception, Exception> fail,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(fail);
        try
        {
            return await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw fail(PlatformCallFailure.Network, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw fail(PlatformCallFailure.Timeout, e);
        }
    }

    /// <summary>Reads the body of <paramref name="response"/> as JSON.</summary>
    /// <param name="response">The response.</param>
    /// <param name="fail">Builds the exception thrown for <see cref="PlatformCallFailure.NotJson"/>, given the
    /// <see cref="JsonException"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The root element, detached from the parsed document.</returns>
    /// <exception cref="Exception">What <paramref name="fail"/> built.</exception>
    public static async Task<JsonElement> ReadJsonAsync(
        HttpResponseMessage response,
        Func<PlatformCallFailure, Exception, Exception> fail,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(fail);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw fail(PlatformCallFailure.NotJson, e);
        }
    }
}
