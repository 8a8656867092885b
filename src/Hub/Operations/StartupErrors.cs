using System.Net.Sockets;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Operations;

/// <summary>Turns the exceptions a bad configuration or a busy address raises at start into one line each, naming
/// the configuration key (<c>Channels:WeChat:EncodingAESKey: must be 43 characters …</c>) or the address and how to
/// change it.</summary>
internal static partial class StartupErrors
{
    /// <summary>Sections of options types that carry no <c>SectionName</c> constant.</summary>
    private static readonly Dictionary<string, string> KnownSections = new(StringComparer.Ordinal)
    {
        ["WeChatOptions"] = "Channels:WeChat",
        ["WeComOptions"] = "Channels:WeCom",
        ["SlackOptions"] = "Channels:Slack",
        ["TelegramOptions"] = "Channels:Telegram",
        ["DiscordOptions"] = "Channels:Discord",
        ["JsonlTranscriptOptions"] = "Agent:Transcripts",
    };

    /// <summary>The lines describing <paramref name="exception"/>, or null when it is not a configuration or binding
    /// error (then the caller prints the exception itself).</summary>
    public static IReadOnlyList<string>? Describe(Exception exception)
    {
        if (exception is AggregateException aggregate)
        {
            var all = aggregate.Flatten().InnerExceptions.Select(Describe).ToList();
            return all.All(l => l is not null) ? all.SelectMany(l => l!).ToList() : null;
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case OptionsValidationException validation:
                    return validation.Failures.Select(f => Failure(validation.OptionsType, f)).ToList();
                case AddressInUseException or SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }:
                    return [$"Cannot listen: {Address(exception)} is already in use. Stop the other process, or listen elsewhere with --urls http://127.0.0.1:5081, ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS or the Urls setting."];
                case SocketException { SocketErrorCode: SocketError.AddressNotAvailable or SocketError.AccessDenied } socket:
                    return [$"Cannot listen: {Address(exception)}: {socket.Message}. Listen elsewhere with --urls, ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS or the Urls setting (ports below 1024 need privileges)."];
                case RedisConnectionException redis:
                    return [$"ConnectionStrings:Redis: cannot connect ({redis.Message.Split('\n', 2)[0].Trim()}). Start Redis, fix the connection string, or remove it to run embedded; `doctor` probes it."];
                case InvalidOperationException when ConfigurationValue().Match(e.Message) is { Success: true } match:
                    return [$"{match.Groups["key"].Value}: the value cannot be read as {match.Groups["type"].Value}."];
                case FormatException when e.StackTrace?.Contains("Microsoft.Extensions.Configuration", StringComparison.Ordinal) == true:
                    return ["Configuration: " + e.Message];
                default:
                    break;
            }
        }

        return null;
    }

    private static string Failure(Type optionsType, string failure)
    {
        var section = optionsType.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string
            ?? KnownSections.GetValueOrDefault(optionsType.Name)
            ?? optionsType.Name;
        if (DataAnnotation().Match(failure) is { Success: true } match)
        {
            return $"{section}:{match.Groups["member"].Value}: {match.Groups["error"].Value}";
        }

        return failure.StartsWith(section + ":", StringComparison.Ordinal) ? failure : $"{section}: {failure}";
    }

    private static string Address(Exception exception)
    {
        // Kestrel: "Failed to bind to address http://127.0.0.1:5080: address already in use."
        var match = BindAddress().Match(exception.Message);
        return match.Success ? match.Groups["address"].Value : "the configured address";
    }

    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']*' members: '(?<member>[^']*)' with the error: '(?<error>.*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotation();

    [GeneratedRegex(@"Failed to convert configuration value( '[^']*')? at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex ConfigurationValue();

    [GeneratedRegex(@"address (?<address>\S+?):? address", RegexOptions.IgnoreCase)]
    private static partial Regex BindAddress();
}
