using System.Text;

namespace OpenClaw.Channels.Telegram;

/// <summary>Converts the Markdown models write into Telegram's HTML parse mode
/// (core.telegram.org/bots/api#html-style): <c>b</c>, <c>i</c>, <c>s</c>, <c>code</c>, <c>pre</c>, <c>a href</c>,
/// <c>blockquote</c>; <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> and <c>&quot;</c> escaped. The output is always well nested:
/// a delimiter without its closing partner stays literal text.</summary>
public static class TelegramMarkdown
{
    /// <summary>Converts <paramref name="markdown"/> to Telegram HTML.</summary>
    /// <param name="markdown">CommonMark-style text: headings, fenced code, inline code, <c>**bold**</c>,
    /// <c>*italic*</c>/<c>_italic_</c>, <c>~~strike~~</c>, <c>[text](url)</c>, <c>&gt;</c> quotes, <c>-</c> lists.</param>
    /// <returns>HTML for <c>parse_mode=HTML</c>; may be longer than the input.</returns>
    public static string ToHtml(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var sb = new StringBuilder(markdown.Length + 64);
        var first = true;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (!first)
            {
                sb.Append('\n');
            }

            first = false;
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                var fence = trimmed[..3];
                var lang = trimmed[3..].Trim();
                var code = new StringBuilder();
                var j = i + 1;
                for (; j < lines.Length && !lines[j].TrimStart().StartsWith(fence, StringComparison.Ordinal); j++)
                {
                    if (code.Length > 0 || j > i + 1)
                    {
                        code.Append('\n');
                    }

                    code.Append(lines[j]);
                }

                sb.Append("<pre>");
                if (lang.Length > 0 && IsLanguage(lang))
                {
                    sb.Append("<code class=\"language-").Append(lang).Append("\">").Append(Escape(code.ToString())).Append("</code>");
                }
                else
                {
                    sb.Append(Escape(code.ToString()));
                }

                sb.Append("</pre>");
                i = j; // skips the closing fence (or ends the text when the fence is unclosed)
                continue;
            }

            if (trimmed.StartsWith('>'))
            {
                sb.Append("<blockquote>");
                var j = i;
                for (; j < lines.Length && lines[j].TrimStart().StartsWith('>'); j++)
                {
                    if (j > i)
                    {
                        sb.Append('\n');
                    }

                    var content = lines[j].TrimStart()[1..];
                    Inline(content.StartsWith(' ') ? content[1..] : content, sb);
                }

                sb.Append("</blockquote>");
                i = j - 1;
                continue;
            }

            var hashes = 0;
            while (hashes < trimmed.Length && trimmed[hashes] == '#')
            {
                hashes++;
            }

            if (hashes is > 0 and <= 6 && hashes < trimmed.Length && trimmed[hashes] == ' ')
            {
                sb.Append("<b>");
                Inline(trimmed[(hashes + 1)..].Trim(), sb);
                sb.Append("</b>");
                continue;
            }

            if (trimmed is "---" or "***" or "___")
            {
                sb.Append("──────────");
                continue;
            }

            if (trimmed.Length > 1 && trimmed[0] is '-' or '*' or '+' && trimmed[1] == ' ')
            {
                sb.Append(line.AsSpan(0, line.Length - trimmed.Length)).Append("• ");
                Inline(trimmed[2..], sb);
                continue;
            }

            Inline(line, sb);
        }

        return sb.ToString();
    }

    /// <summary>Escapes <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> and <c>&quot;</c> for Telegram HTML.</summary>
    /// <param name="text">Plain text.</param>
    /// <returns>Text safe inside HTML elements and attribute values.</returns>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            AppendEscaped(sb, c);
        }

        return sb.ToString();
    }

    private static void AppendEscaped(StringBuilder sb, char c)
    {
        switch (c)
        {
            case '&':
                sb.Append("&amp;");
                break;
            case '<':
                sb.Append("&lt;");
                break;
            case '>':
                sb.Append("&gt;");
                break;
            case '"':
                sb.Append("&quot;");
                break;
            default:
                sb.Append(c);
                break;
        }
    }

    private static bool IsLanguage(string lang)
    {
        foreach (var c in lang)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '-' or '#'))
            {
                return false;
            }
        }

        return true;
    }

    private static void Inline(string text, StringBuilder sb)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && char.IsAsciiLetterOrDigit(text[i + 1]) is false && !char.IsWhiteSpace(text[i + 1]))
            {
                AppendEscaped(sb, text[i + 1]);
                i += 2;
                continue;
            }

            if (c == '`')
            {
                var run = 1;
                while (i + run < text.Length && text[i + run] == '`')
                {
                    run++;
                }

                var delimiter = new string('`', run);
                var close = text.IndexOf(delimiter, i + run, StringComparison.Ordinal);
                if (close > i + run - 1)
                {
                    var code = text[(i + run)..close];
                    if (code.Length > 0)
                    {
                        sb.Append("<code>").Append(Escape(code.Trim())).Append("</code>");
                        i = close + run;
                        continue;
                    }
                }

                sb.Append(delimiter);
                i += run;
                continue;
            }

            if (c == '[' && TryLink(text, i, sb, out var next))
            {
                i = next;
                continue;
            }

            if ((c == '*' || c == '_' || c == '~') && i + 1 < text.Length && text[i + 1] == c
                && TrySpan(text, i, new string(c, 2), c == '~' ? "s" : "b", sb, out next))
            {
                i = next;
                continue;
            }

            if ((c == '*' || c == '_') && (c == '*' || i == 0 || !char.IsLetterOrDigit(text[i - 1]))
                && TrySpan(text, i, c.ToString(), "i", sb, out next))
            {
                i = next;
                continue;
            }

            AppendEscaped(sb, c);
            i++;
        }
    }

    private static bool TrySpan(string text, int start, string delimiter, string tag, StringBuilder sb, out int next)
    {
        next = start;
        var contentStart = start + delimiter.Length;
        if (contentStart >= text.Length || char.IsWhiteSpace(text[contentStart]))
        {
            return false;
        }

        var search = contentStart + 1;
        while (true)
        {
            var close = text.IndexOf(delimiter, search, StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            var after = close + delimiter.Length;
            var closesWord = delimiter[0] != '_' || after >= text.Length || !char.IsLetterOrDigit(text[after]);
            var doubled = delimiter.Length == 1 && after < text.Length && text[after] == delimiter[0];
            if (!char.IsWhiteSpace(text[close - 1]) && closesWord && !doubled)
            {
                sb.Append('<').Append(tag).Append('>');
                Inline(text[contentStart..close], sb);
                sb.Append("</").Append(tag).Append('>');
                next = after;
                return true;
            }

            search = close + (doubled ? 2 : 1);
        }
    }

    private static bool TryLink(string text, int start, StringBuilder sb, out int next)
    {
        next = start;
        var closeBracket = text.IndexOf("](", start + 1, StringComparison.Ordinal);
        if (closeBracket < 0)
        {
            return false;
        }

        var closeParen = text.IndexOf(')', closeBracket + 2);
        if (closeParen < 0)
        {
            return false;
        }

        var label = text[(start + 1)..closeBracket];
        var url = text[(closeBracket + 2)..closeParen].Trim();
        if (label.Length == 0 || label.Contains('[', StringComparison.Ordinal)
            || !(url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                 || url.StartsWith("tg://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            || url.Contains(' ', StringComparison.Ordinal))
        {
            return false;
        }

        sb.Append("<a href=\"").Append(Escape(url)).Append("\">");
        Inline(label, sb);
        sb.Append("</a>");
        next = closeParen + 1;
        return true;
    }
}
