using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OpenClaw.Channels.Fakes.Telegram;

/// <content>The <c>/bot{token}/{method}</c> dispatcher: one branch per Bot API method.</content>
public sealed partial class FakeTelegramServer
{
    private async Task HandleAsync(HttpContext context, string token, string method)
    {
        var parameters = await ReadParametersAsync(context.Request);
        _requests.Enqueue(new FakeTelegramRequest(method, parameters, Clock.GetUtcNow()));
        if (!string.Equals(token, BotToken, StringComparison.Ordinal))
        {
            await ErrorAsync(context, 401, "Unauthorized");
            return;
        }

        (int Code, string Description, int? RetryAfter)? failure = null;
        lock (_gate)
        {
            if (_failures.TryGetValue(method, out var queue) && queue.Count > 0)
            {
                failure = queue.Dequeue();
            }
        }

        if (failure is { } f)
        {
            await ErrorAsync(context, f.Code, f.Description, f.RetryAfter);
            return;
        }

        switch (method.ToLowerInvariant())
        {
            case "getme":
                await OkAsync(context, BotUser());
                break;
            case "getupdates":
                await GetUpdatesAsync(context, parameters);
                break;
            case "setwebhook":
                lock (_gate)
                {
                    _webhookUrl = Str(parameters, "url") ?? string.Empty;
                    _webhookSecret = Str(parameters, "secret_token");
                    _webhookAllowedUpdates = parameters["allowed_updates"]?.DeepClone();
                    if (Bool(parameters, "drop_pending_updates") == true)
                    {
                        _pending.Clear();
                    }
                }

                await OkAsync(context, true, _webhookUrl.Length == 0 ? "Webhook was deleted" : "Webhook was set");
                break;
            case "deletewebhook":
                lock (_gate)
                {
                    _webhookUrl = string.Empty;
                    _webhookSecret = null;
                    if (Bool(parameters, "drop_pending_updates") == true)
                    {
                        _pending.Clear();
                    }
                }

                await OkAsync(context, true, "Webhook was deleted");
                break;
            case "getwebhookinfo":
                JsonObject info;
                lock (_gate)
                {
                    info = new JsonObject { ["url"] = _webhookUrl, ["has_custom_certificate"] = false, ["pending_update_count"] = _pending.Count };
                    if (_webhookAllowedUpdates is not null)
                    {
                        info["allowed_updates"] = _webhookAllowedUpdates.DeepClone();
                    }
                }

                await OkAsync(context, info);
                break;
            case "setmycommands":
                {
                    // core.telegram.org/bots/api#setmycommands: at most 100 BotCommand objects, command 1-32 chars of
                    // lower-case letters, digits and underscores, description 1-256 chars.
                    if (parameters["commands"] is not JsonArray commands || commands.Count > 100
                        || commands.Any(c => c is not JsonObject o
                            || Str(o, "command") is not { } name || !System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z0-9_]{1,32}$")
                            || Str(o, "description") is not { Length: >= 1 and <= 256 }))
                    {
                        await ErrorAsync(context, 400, "Bad Request: BOT_COMMAND_INVALID");
                        break;
                    }

                    lock (_gate)
                    {
                        _myCommands = (JsonArray)commands.DeepClone();
                    }

                    await OkAsync(context, true);
                    break;
                }

            case "getmycommands":
                JsonArray mine;
                lock (_gate)
                {
                    mine = (JsonArray?)_myCommands?.DeepClone() ?? [];
                }

                await OkAsync(context, mine);
                break;
            case "sendmessage":
                await SendMessageAsync(context, parameters);
                break;
            case "editmessagetext":
                await EditMessageTextAsync(context, parameters);
                break;
            case "getfile":
                {
                    var fileId = Str(parameters, "file_id") ?? string.Empty;
                    if (Files.Get(fileId) is not { } file)
                    {
                        await ErrorAsync(context, 400, "Bad Request: invalid file_id");
                    }
                    else if (file.Data.Length > 20 * 1024 * 1024)
                    {
                        await ErrorAsync(context, 400, "Bad Request: file is too big");
                    }
                    else
                    {
                        await OkAsync(context, new JsonObject
                        {
                            ["file_id"] = file.Key,
                            ["file_unique_id"] = "U" + file.Key,
                            ["file_size"] = file.Data.Length,
                            ["file_path"] = "files/" + file.Key,
                        });
                    }

                    break;
                }

            case "sendphoto":
                await SendPhotoAsync(context, parameters);
                break;
            case "sendchataction":
                _actions.Enqueue(new FakeTelegramChatAction(Str(parameters, "chat_id") ?? string.Empty, Str(parameters, "action") ?? string.Empty, Int(parameters, "message_thread_id")));
                await OkAsync(context, true);
                break;
            default:
                await ErrorAsync(context, 404, "Not Found: method not found");
                break;
        }
    }
}
