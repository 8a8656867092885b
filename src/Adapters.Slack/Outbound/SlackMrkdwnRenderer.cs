using System.Text;
using System.Text.RegularExpressions;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using OpenClaw.Channels.Adapters.Markdown;

namespace OpenClaw.Channels.Slack;

/// <summary>Renders the parsed answer as Slack mrkdwn (docs.slack.dev/messaging/formatting-message-text): bold
/// <c>*b*</c>, italic <c>_i_</c>, strike <c>~s~</c>, links <c>&lt;url|label&gt;</c> (images too), headings as a bold
/// line, list items as <c>•</c> lines, quotes as <c>&gt; </c> lines, code spans and code blocks verbatim (fences without
/// a language: Slack has none). Only <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> are escaped, once. Length is the mrkdwn's
/// length in UTF-16 characters, as <c>chat.postMessage</c> counts <c>text</c>.</summary>
public sealed partial class SlackMrkdwnRenderer : ChannelMarkdownRenderer
{
    /// <summary>The renderer (stateless).</summary>
    public static SlackMrkdwnRenderer Instance { get; } = new();

    /// <summary>Renders <paramref name="markdown"/> whole as mrkdwn.</summary>
    /// <param name="markdown">Model output; null gives an empty string.</param>
    /// <returns>Slack mrkdwn text.</returns>
    public static string ToMrkdwn(string? markdown) => Instance.Render(ChannelMarkdown.Parse(markdown));

    /// <summary>Reverses <see cref="Escape"/>: <c>&amp;lt;</c>, <c>&amp;gt;</c>, then <c>&amp;amp;</c> become the
    /// characters they stand for, once (so <c>&amp;amp;lt;</c> becomes <c>&amp;lt;</c>, as the user typed it).</summary>
    /// <param name="text">Text as Slack sends it.</param>
    /// <returns>The text with the three entities decoded.</returns>
    public static string Unescape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("&lt;", "<", StringComparison.Ordinal)
            .Replace("&gt;", ">", StringComparison.Ordinal)
            .Replace("&amp;", "&", StringComparison.Ordinal);
    }

    /// <summary>What a split of escaped plain text must keep whole: the entities <c>&amp;amp;</c>, <c>&amp;lt;</c>,
    /// <c>&amp;gt;</c>.</summary>
    /// <returns>The pattern, for <see cref="TextChunker.Split(string?, int, Regex?)"/>.</returns>
    [GeneratedRegex(@"&(?:amp|lt|gt);|<[^<>\n]*>")]
    public static partial Regex Unbreakable();

    /// <inheritdoc />
    public override int Measure(string rendered)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        return rendered.Length;
    }

    /// <summary>Escapes the three characters Slack treats as control characters.</summary>
    /// <param name="text">Plain text.</param>
    /// <returns>The text with <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> replaced by entities.</returns>
    public override string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public override string RenderInlines(LeafBlock owner, IReadOnlyList<InlineAtom> atoms)
    {
        ArgumentNullException.ThrowIfNull(atoms);
        var heading = owner is HeadingBlock;
        var sb = new StringBuilder();
        foreach (var atom in atoms)
        {
            if (atom.Node is { } node)
            {
                Write(sb, node, heading);
            }
            else
            {
                sb.Append(Escape(atom.Text!));
            }
        }

        return heading ? "*" + sb.ToString().Trim() + "*" : sb.ToString();
    }

    /// <inheritdoc />
    public override string RenderCode(CodeBlock code, IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return "```\n" + Escape(string.Join('\n', lines)) + "\n```";
    }

    /// <inheritdoc />
    public override string WrapQuote(QuoteBlock quote, string inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return "> " + inner.Replace("\n", "\n> ", StringComparison.Ordinal);
    }

    /// <inheritdoc />
    /// <remarks>Slack has no rule: the model's <c>---</c> is kept.</remarks>
    public override string RenderThematicBreak(ThematicBreakBlock rule) => "---";

    private void Write(StringBuilder sb, Inline inline, bool heading)
    {
        if (TryWriteText(sb, inline))
        {
            return;
        }

        switch (inline)
        {
            case CodeInline code:
                var ticks = new string('`', Math.Max(1, code.DelimiterCount));
                sb.Append(ticks).Append(Escape(code.Content)).Append(ticks);
                break;
            case AutolinkInline autolink:
                sb.Append('<').Append(autolink.IsEmail ? "mailto:" : string.Empty).Append(Escape(autolink.Url)).Append('>');
                break;
            case LinkInline link:
                // Labels are plain text: Slack does not format inside <url|label>; a '|' would end the address.
                var label = Escape(InlineAtom.PlainText(link)).Replace("|", "¦", StringComparison.Ordinal);
                sb.Append('<').Append(Escape(link.Url ?? string.Empty)).Append('|').Append(label).Append('>');
                break;
            case EmphasisInline emphasis:
                // Bold inside a heading is dropped: the heading is one bold line already.
                var mark = emphasis.DelimiterChar == '~' ? "~" : emphasis.DelimiterCount >= 2 ? (heading ? string.Empty : "*") : "_";
                sb.Append(mark);
                for (var child = emphasis.FirstChild; child is not null; child = child.NextSibling)
                {
                    Write(sb, child, heading);
                }

                sb.Append(mark);
                break;
            case ContainerInline container:
                for (var child = container.FirstChild; child is not null; child = child.NextSibling)
                {
                    Write(sb, child, heading);
                }

                break;
            default:
                sb.Append(Escape(InlineAtom.PlainText(inline)));
                break;
        }
    }
}
