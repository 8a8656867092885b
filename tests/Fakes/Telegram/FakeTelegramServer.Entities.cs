using System.Globalization;
using System.Text;

namespace OpenClaw.Channels.Fakes.Telegram;

/// <content>Entity parsing of <c>parse_mode</c> HTML text, as Telegram does before it counts the length (core.telegram.org/bots/api#formatting-options).</content>
public sealed partial class FakeTelegramServer
{
    private static readonly HashSet<string> SupportedTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji", "tg-time",
    };

    /// <summary>Parses Telegram HTML (core.telegram.org/bots/api#html-style) into the displayed text; false with
    /// Telegram's wording when a tag is unsupported, unbalanced or unclosed.</summary>
    private static bool TryPlainText(string text, string? parseMode, out string plain, out string error)
    {
        error = string.Empty;
        if (!string.Equals(parseMode, "HTML", StringComparison.OrdinalIgnoreCase))
        {
            plain = text;
            return true;
        }

        var sb = new StringBuilder(text.Length);
        var stack = new Stack<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '<')
            {
                var close = text.IndexOf('>', i + 1);
                var byteOffset = Encoding.UTF8.GetByteCount(text.AsSpan(0, i));
                if (close < 0)
                {
                    plain = string.Empty;
                    error = $"Unclosed start tag at byte offset {byteOffset}";
                    return false;
                }

                var inner = text[(i + 1)..close];
                if (inner.StartsWith('/'))
                {
                    var name = inner[1..].Trim().ToLowerInvariant();
                    if (stack.Count == 0 || stack.Peek() != name)
                    {
                        plain = string.Empty;
                        error = stack.Count == 0
                            ? $"Unexpected end tag at byte offset {byteOffset}"
                            : $"Unmatched end tag at byte offset {byteOffset}, expected \"</{stack.Peek()}>\", found \"</{name}>\"";
                        return false;
                    }

                    stack.Pop();
                }
                else
                {
                    var end = 0;
                    while (end < inner.Length && !char.IsWhiteSpace(inner[end]) && inner[end] != '/')
                    {
                        end++;
                    }

                    var name = inner[..end].ToLowerInvariant();
                    if (!SupportedTags.Contains(name))
                    {
                        plain = string.Empty;
                        error = $"Unsupported start tag \"{name}\" at byte offset {byteOffset}";
                        return false;
                    }

                    stack.Push(name);
                }

                i = close + 1;
                continue;
            }

            if (c == '&')
            {
                var semi = text.IndexOf(';', i + 1);
                var entity = semi > i && semi - i <= 10 ? text[(i + 1)..semi] : null;
                string? decoded = entity switch
                {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    _ when entity is not null && entity.StartsWith('#') && int.TryParse(
                        entity.StartsWith("#x", StringComparison.OrdinalIgnoreCase) ? entity[2..] : entity[1..],
                        entity.StartsWith("#x", StringComparison.OrdinalIgnoreCase) ? NumberStyles.HexNumber : NumberStyles.None,
                        CultureInfo.InvariantCulture,
                        out var code) && code is > 0 and <= 0x10FFFF => char.ConvertFromUtf32(code),
                    _ => null,
                };
                if (decoded is not null)
                {
                    sb.Append(decoded);
                    i = semi + 1;
                    continue;
                }
            }

            sb.Append(c);
            i++;
        }

        if (stack.Count > 0)
        {
            plain = string.Empty;
            error = $"Can't find end tag corresponding to start tag \"{stack.Peek()}\"";
            return false;
        }

        plain = sb.ToString();
        return true;
    }
}
