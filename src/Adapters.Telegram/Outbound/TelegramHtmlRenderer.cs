using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using OpenClaw.Channels.Adapters.Markdown;

namespace OpenClaw.Channels.Telegram;

/// <summary>Renders the parsed answer as Telegram HTML (core.telegram.org/bots/api#html-style): <c>b</c> (bold and
/// headings), <c>i</c>, <c>s</c>, <c>code</c>, <c>pre</c> with <c>code class="language-…"</c>, <c>a href</c> (http, https,
/// tg and mailto only; other links stay literal), <c>blockquote</c>; lists as <c>•</c> lines; <c>&amp;</c>, <c>&lt;</c>,
/// <c>&gt;</c> and <c>&quot;</c> escaped. Output is always well nested. Length is measured as Telegram counts its 4096
/// limit: the text after entity parsing, in UTF-16 code units (<see cref="VisibleText"/>).</summary>
public sealed class TelegramHtmlRenderer : ChannelMarkdownRenderer
{
    /// <summary>The renderer (stateless).</summary>
    public static TelegramHtmlRenderer Instance { get; } = new();

    /// <summary>Renders <paramref name="markdown"/> whole as Telegram HTML.</summary>
    /// <param name="markdown">The model's Markdown.</param>
    /// <returns>HTML for <c>parse_mode=HTML</c>.</returns>
    public static string ToHtml(string markdown) => Instance.Render(ChannelMarkdown.Parse(markdown));

    /// <inheritdoc />
    /// <remarks>Tags count nothing and an entity (<c>&amp;lt;</c>) counts one, as after Telegram's entity parsing.</remarks>
    public override int Measure(string rendered) => VisibleText(rendered).Length;

    /// <summary>The text a reader sees of HTML this renderer produced: tags dropped, entities decoded.</summary>
    /// <param name="html">Rendered HTML.</param>
    /// <returns>The visible text; its length is <see cref="Measure"/>.</returns>
    public static string VisibleText(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var sb = new StringBuilder(html.Length);
        for (var i = 0; i < html.Length; i++)
        {
            var c = html[i];
            if (c == '<')
            {
                var close = html.IndexOf('>', i);
                i = close < 0 ? html.Length : close;
                continue;
            }

            if (c == '&' && html.IndexOf(';', i) is var semicolon && semicolon > i && semicolon - i <= 8)
            {
                sb.Append(html[(i + 1)..semicolon] switch { "lt" => '<', "gt" => '>', "amp" => '&', "quot" => '"', _ => '?' });
                i = semicolon;
                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    public override string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => sb.Append("&amp;"),
                '<' => sb.Append("&lt;"),
                '>' => sb.Append("&gt;"),
                '"' => sb.Append("&quot;"),
                _ => sb.Append(c),
            };
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    public override string RenderInlines(LeafBlock owner, IReadOnlyList<InlineAtom> atoms)
    {
        ArgumentNullException.ThrowIfNull(atoms);
        var sb = new StringBuilder();
        foreach (var atom in atoms)
        {
            if (atom.Node is { } node)
            {
                Write(sb, node);
            }
            else
            {
                sb.Append(Escape(atom.Text!));
            }
        }

        return owner is HeadingBlock ? "<b>" + sb.ToString().Trim() + "</b>" : sb.ToString();
    }

    /// <inheritdoc />
    public override string RenderCode(CodeBlock code, IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var body = Escape(string.Join('\n', lines));
        return code is FencedCodeBlock { Info: { Length: > 0 } language } && IsLanguage(language)
            ? "<pre><code class=\"language-" + language + "\">" + body + "</code></pre>"
            : "<pre>" + body + "</pre>";
    }

    /// <inheritdoc />
    public override string WrapQuote(QuoteBlock quote, string inner) => "<blockquote>" + inner + "</blockquote>";

    private void Write(StringBuilder sb, Inline inline)
    {
        if (TryWriteText(sb, inline))
        {
            return;
        }

        switch (inline)
        {
            case CodeInline code:
                sb.Append("<code>").Append(Escape(code.Content)).Append("</code>");
                break;
            case AutolinkInline autolink:
                var href = autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url;
                sb.Append("<a href=\"").Append(Escape(href)).Append("\">").Append(Escape(autolink.Url)).Append("</a>");
                break;
            case LinkInline link when IsAllowedUrl(link.Url):
                sb.Append("<a href=\"").Append(Escape(link.Url!.Trim())).Append("\">");
                WriteChildren(sb, link);
                sb.Append("</a>");
                break;
            case LinkInline link:
                // A link Telegram would refuse (javascript:, relative): kept as the text the model wrote.
                sb.Append(link.IsImage ? "![" : "[");
                WriteChildren(sb, link);
                sb.Append("](").Append(Escape(link.Url ?? string.Empty)).Append(')');
                break;
            case EmphasisInline emphasis:
                var tag = emphasis.DelimiterChar == '~' ? "s" : emphasis.DelimiterCount >= 2 ? "b" : "i";
                sb.Append('<').Append(tag).Append('>');
                WriteChildren(sb, emphasis);
                sb.Append("</").Append(tag).Append('>');
                break;
            case ContainerInline container:
                WriteChildren(sb, container);
                break;
            default:
                sb.Append(Escape(InlineAtom.PlainText(inline)));
                break;
        }
    }

    private void WriteChildren(StringBuilder sb, ContainerInline container)
    {
        for (var child = container.FirstChild; child is not null; child = child.NextSibling)
        {
            Write(sb, child);
        }
    }

    private static bool IsAllowedUrl(string? url)
    {
        var u = url?.Trim() ?? string.Empty;
        return u.Length > 0 && !u.Contains(' ', StringComparison.Ordinal)
               && (u.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || u.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                   || u.StartsWith("tg://", StringComparison.OrdinalIgnoreCase) || u.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsLanguage(string language)
    {
        foreach (var c in language)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '-' or '#'))
            {
                return false;
            }
        }

        return true;
    }
}
