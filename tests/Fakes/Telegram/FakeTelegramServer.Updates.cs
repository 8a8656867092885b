using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OpenClaw.Channels.Fakes.Telegram;

/// <content>Updates: what tests enqueue, webhook delivery, and <c>getUpdates</c> long polling (core.telegram.org/bots/api#getting-updates).</content>
public sealed partial class FakeTelegramServer
{
    /// <summary>Adds an update for <c>getUpdates</c> (and wakes a waiting long poll). The JSON must be a Bot API
    /// <c>Update</c> object; when it has no <c>update_id</c>, the next one is assigned.</summary>
    /// <param name="updateJson">The update JSON.</param>
    /// <returns>The update's <c>update_id</c>.</returns>
    public long EnqueueUpdate(string updateJson) => EnqueueUpdate(JsonNode.Parse(updateJson)!.AsObject());

    /// <summary>Adds an update for <c>getUpdates</c>; see <see cref="EnqueueUpdate(string)"/>.</summary>
    /// <param name="update">The update object (not modified; a copy is kept).</param>
    /// <returns>The update's <c>update_id</c>.</returns>
    public long EnqueueUpdate(JsonObject update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var copy = update.DeepClone().AsObject();
        TaskCompletionSource signal;
        long id;
        lock (_gate)
        {
            if (copy["update_id"] is JsonValue v && v.TryGetValue<long>(out var given))
            {
                id = given;
            }
            else
            {
                id = _nextUpdateId;
                copy["update_id"] = id;
            }

            _nextUpdateId = Math.Max(_nextUpdateId, id + 1);
            _pending.Add(copy);
            _pending.Sort((a, b) => a["update_id"]!.GetValue<long>().CompareTo(b["update_id"]!.GetValue<long>()));
            signal = _updateSignal;
            _updateSignal = NewSignal();
        }

        signal.TrySetResult();
        return id;
    }

    /// <summary>Builds and enqueues a text <c>message</c> update.</summary>
    /// <param name="chatId">Chat id (positive for a private chat, negative for groups).</param>
    /// <param name="fromId">Sender user id.</param>
    /// <param name="text">Message text (entities for <c>@bot</c> mentions and leading <c>/commands</c> are added).</param>
    /// <param name="chatType"><c>private</c>, <c>group</c>, <c>supergroup</c> or <c>channel</c>.</param>
    /// <param name="messageThreadId">Forum topic id; sets <c>is_topic_message</c>.</param>
    /// <param name="replyToBotMessageId">When set, the message replies to this message of the bot.</param>
    /// <returns>The <c>update_id</c>.</returns>
    public long EnqueueTextMessage(long chatId, long fromId, string text, string chatType = "private", int? messageThreadId = null, long? replyToBotMessageId = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        long messageId;
        lock (_gate)
        {
            messageId = NextMessageId(chatId.ToString(CultureInfo.InvariantCulture));
        }

        var chat = new JsonObject { ["id"] = chatId, ["type"] = chatType };
        if (chatType != "private")
        {
            chat["title"] = "Test " + chatType;
        }
        else
        {
            chat["first_name"] = "Test";
        }

        var message = new JsonObject
        {
            ["message_id"] = messageId,
            ["from"] = new JsonObject { ["id"] = fromId, ["is_bot"] = false, ["first_name"] = "Test", ["last_name"] = "User", ["username"] = "test_user" },
            ["chat"] = chat,
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["text"] = text,
        };
        var entities = new JsonArray();
        var handle = "@" + BotUsername;
        var at = text.IndexOf(handle, StringComparison.OrdinalIgnoreCase);
        if (text.StartsWith('/'))
        {
            var end = text.IndexOf(' ', StringComparison.Ordinal);
            entities.Add(new JsonObject { ["offset"] = 0, ["length"] = end < 0 ? text.Length : end, ["type"] = "bot_command" });
        }
        else if (at >= 0)
        {
            entities.Add(new JsonObject { ["offset"] = at, ["length"] = handle.Length, ["type"] = "mention" });
        }

        if (entities.Count > 0)
        {
            message["entities"] = entities;
        }

        if (messageThreadId is { } thread)
        {
            message["message_thread_id"] = thread;
            message["is_topic_message"] = true;
        }

        if (replyToBotMessageId is { } replyTo)
        {
            message["reply_to_message"] = new JsonObject
            {
                ["message_id"] = replyTo,
                ["from"] = new JsonObject { ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "Bot", ["username"] = BotUsername },
                ["chat"] = chat.DeepClone(),
                ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["text"] = "earlier answer",
            };
        }

        return EnqueueUpdate(new JsonObject { ["message"] = message });
    }

    /// <summary>Sets a webhook as if <c>setWebhook</c> had been called (then <c>getUpdates</c> answers 409).</summary>
    /// <param name="url">Webhook URL; empty removes it.</param>
    /// <param name="secretToken">Secret token echoed in <c>X-Telegram-Bot-Api-Secret-Token</c>.</param>
    public void SetWebhook(string url, string? secretToken = null)
    {
        lock (_gate)
        {
            _webhookUrl = url ?? string.Empty;
            _webhookSecret = secretToken;
        }
    }

    /// <summary>Delivers an update to the registered webhook like Telegram does: <c>POST</c> of the JSON with
    /// <c>X-Telegram-Bot-Api-Secret-Token</c> set to the registered secret.</summary>
    /// <param name="updateJson">The update JSON.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The status code the webhook answered.</returns>
    /// <exception cref="InvalidOperationException">No webhook is set.</exception>
    public async Task<HttpStatusCode> PostToWebhookAsync(string updateJson, CancellationToken cancellationToken)
    {
        string url;
        string? secret;
        lock (_gate)
        {
            url = _webhookUrl;
            secret = _webhookSecret;
        }

        if (string.IsNullOrEmpty(url))
        {
            throw new InvalidOperationException("No webhook is set.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(updateJson, Encoding.UTF8, "application/json") };
        if (secret is not null)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        }

        using var client = new HttpClient();
        using var response = await client.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    private async Task GetUpdatesAsync(HttpContext context, JsonObject parameters)
    {
        var offset = Long(parameters, "offset") ?? 0;
        var limit = Math.Clamp(Int(parameters, "limit") ?? 100, 1, 100);
        var timeout = TimeSpan.FromSeconds(Math.Max(0, Int(parameters, "timeout") ?? 0));
        var mine = NewSignal();
        TaskCompletionSource? previous = null;
        bool webhookActive;
        lock (_gate)
        {
            webhookActive = _webhookUrl.Length > 0;
            if (!webhookActive)
            {
                if (offset > 0)
                {
                    _pending.RemoveAll(u => u["update_id"]!.GetValue<long>() < offset);
                    _confirmedOffset = Math.Max(_confirmedOffset, offset);
                }

                previous = _activePoll;
                _activePoll = mine;
            }
        }

        if (webhookActive)
        {
            await ErrorAsync(context, 409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
            return;
        }

        previous?.TrySetResult(); // a newer poller terminates the older one, as the real server does
        try
        {
            var deadline = DateTimeOffset.UtcNow + timeout;
            while (true)
            {
                Task signal;
                JsonArray? batch = null;
                lock (_gate)
                {
                    signal = _updateSignal.Task;
                    if (_pending.Count > 0)
                    {
                        batch = [.. _pending.Take(limit).Select(u => (JsonNode)u.DeepClone())];
                    }
                }

                if (mine.Task.IsCompleted)
                {
                    Interlocked.Increment(ref _pollConflicts);
                    await ErrorAsync(context, 409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
                    return;
                }

                var remaining = deadline - DateTimeOffset.UtcNow;
                if (batch is not null || remaining <= TimeSpan.Zero)
                {
                    await OkAsync(context, batch ?? []);
                    return;
                }

                try
                {
                    await Task.WhenAny(signal, mine.Task, Task.Delay(remaining, context.RequestAborted));
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                if (context.RequestAborted.IsCancellationRequested)
                {
                    return;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_activePoll, mine))
                {
                    _activePoll = null;
                }
            }
        }
    }
}
