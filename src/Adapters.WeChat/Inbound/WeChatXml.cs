using System.Globalization;
using System.Text;
using System.Xml;

namespace OpenClaw.Channels.WeChat;

/// <summary>Reads WeChat's flat <c>&lt;xml&gt;&lt;Field&gt;…&lt;/Field&gt;&lt;/xml&gt;</c> documents with a hardened reader
/// (DTDs prohibited, no resolver, size-capped) and writes passive replies.</summary>
internal static class WeChatXml
{
    private const int MaxCharacters = 256 * 1024;

    /// <summary>Parses the child elements of the root into a case-sensitive map (first occurrence wins).</summary>
    /// <returns>The fields, or null when the text is not a well-formed flat document (or contains a DOCTYPE).</returns>
    public static Dictionary<string, string>? TryParse(string xml)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxCharacters,
            MaxCharactersFromEntities = 0,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            CloseInput = true,
        };
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            if (reader.MoveToContent() != XmlNodeType.Element)
            {
                return null;
            }

            var rootDepth = reader.Depth;
            var empty = reader.IsEmptyElement;
            reader.Read();
            while (!empty && !reader.EOF && reader.Depth > rootDepth)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.Depth == rootDepth + 1)
                {
                    var name = reader.LocalName;
                    var value = reader.ReadInnerXmlAsText();
                    fields.TryAdd(name, value);
                }
                else
                {
                    reader.Read();
                }
            }

            // Reject trailing content after the root (the reader stands on the root's end tag, or past an empty root).
            while (!reader.EOF)
            {
                reader.Read();
                if (reader.NodeType is XmlNodeType.Element or XmlNodeType.Text or XmlNodeType.CDATA)
                {
                    return null;
                }
            }

            return fields;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static string ReadInnerXmlAsText(this XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return string.Empty;
        }

        var depth = reader.Depth;
        var text = new StringBuilder();
        reader.Read();
        while (!reader.EOF && reader.Depth > depth)
        {
            if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace)
            {
                text.Append(reader.Value);
            }

            reader.Read();
        }

        // Now on the end element of the field.
        reader.Read();
        return text.ToString();
    }

    /// <summary>Builds a passive text reply (W-PAS): To and From swapped relative to the inbound message.</summary>
    public static string BuildTextReply(string toUser, string fromUser, DateTimeOffset now, string content)
        => string.Concat(
            "<xml><ToUserName>", Cdata(toUser), "</ToUserName><FromUserName>", Cdata(fromUser),
            "</FromUserName><CreateTime>", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>", Cdata(content), "</Content></xml>");

    /// <summary>The passive image reply: <c>&lt;MsgType&gt;image&lt;/MsgType&gt;&lt;Image&gt;&lt;MediaId&gt;…</c>
    /// (developers.weixin.qq.com/doc/offiaccount/Message_Management/Passive_user_reply_message.html; WeCom
    /// developer.work.weixin.qq.com/document/path/90241).</summary>
    public static string BuildImageReply(string toUser, string fromUser, DateTimeOffset now, string mediaId)
        => string.Concat(
            "<xml><ToUserName>", Cdata(toUser), "</ToUserName><FromUserName>", Cdata(fromUser),
            "</FromUserName><CreateTime>", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            "</CreateTime><MsgType><![CDATA[image]]></MsgType><Image><MediaId>", Cdata(mediaId), "</MediaId></Image></xml>");

    private static string Cdata(string value)
        => string.Concat("<![CDATA[", SanitizeForXml(value).Replace("]]>", "]]]]><![CDATA[>", StringComparison.Ordinal), "]]>");

    private static string SanitizeForXml(string value)
    {
        if (value.All(XmlConvert.IsXmlChar))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                sb.Append(c).Append(value[i + 1]);
                i++;
            }
            else if (XmlConvert.IsXmlChar(c))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
