using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using OpenClaw.Channels.Adapters.Markdown;

namespace OpenClaw.Channels.WeChat;

/// <summary>Renders the parsed answer as the plain text WeChat shows as is (official-account and WeCom text messages
/// have no formatting): emphasis, code and heading marks dropped, code blocks as their lines, quotes as their text,
/// links as <c>label (url)</c> (the URL alone when the label is the URL), images as <c>alt (url)</c>, list items as
/// <c>•</c> lines, rules as <c>──────</c>. Length is UTF-8 bytes, as WeChat counts its text limit (about 2,048 bytes),
/// for <see cref="MarkdownSplitter"/>, which also applies the per-answer message budget.</summary>
internal sealed class WeChatPlainTextRenderer : ChannelMarkdownRenderer
{
    /// <summary>The renderer (stateless).</summary>
    public static WeChatPlainTextRenderer Instance { get; } = new();

    /// <inheritdoc />
    public override int Measure(string rendered) => Encoding.UTF8.GetByteCount(rendered);

    /// <inheritdoc />
    public override string Escape(string text) => text;

    /// <inheritdoc />
    public override string RenderInlines(LeafBlock owner, IReadOnlyList<InlineAtom> atoms)
    {
        var sb = new StringBuilder();
        foreach (var atom in atoms)
        {
            if (atom.Node is { } node)
            {
                Write(sb, node);
            }
            else
            {
                sb.Append(atom.Text);
            }
        }

        return owner is HeadingBlock ? sb.ToString().Trim() : sb.ToString();
    }

    /// <inheritdoc />
    public override string RenderCode(CodeBlock code, IReadOnlyList<string> lines) => string.Join('\n', lines);

    /// <inheritdoc />
    public override string WrapQuote(QuoteBlock quote, string inner) => inner;

    /// <inheritdoc />
    public override string RenderThematicBreak(ThematicBreakBlock rule) => "──────";

    private void Write(StringBuilder sb, Inline inline)
    {
        if (TryWriteText(sb, inline))
        {
            return;
        }

        switch (inline)
        {
            case LinkInline link:
                var label = InlineAtom.PlainText(link).Trim();
                var url = link.Url ?? string.Empty;
                sb.Append(label.Length == 0 || label == url ? url : label + " (" + url + ")");
                break;
            case ContainerInline container:
                for (var child = container.FirstChild; child is not null; child = child.NextSibling)
                {
                    Write(sb, child);
                }

                break;
            default:
                sb.Append(InlineAtom.PlainText(inline));
                break;
        }
    }
}
