using System.Xml;

namespace IdentityBroker.Federation.Saml;

/// <summary>
/// Loads untrusted XML (SAML responses, IdP metadata) with every dangerous feature off: no DTD (so no entity expansion,
/// no external entities), no resolver, bounded size and depth. Whitespace is preserved because signatures cover it.
/// </summary>
internal static class SafeXml
{
    public const int MaxDepth = 64;

    /// <returns>The document, or null with <paramref name="problem"/> saying why (never quoting the input).</returns>
    public static XmlDocument? Load(string text, long maxCharacters, out string problem)
    {
        problem = string.Empty;
        try
        {
            if (!WithinDepth(text, maxCharacters))
            {
                problem = $"the XML is nested deeper than {MaxDepth} elements";
                return null;
            }

            var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
            using var reader = XmlReader.Create(new StringReader(text), Settings(maxCharacters));
            document.Load(reader);
            return document;
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            problem = "a DTD is not allowed";
            return null;
        }
        catch (XmlException)
        {
            problem = "the XML is not well-formed or is too large";
            return null;
        }
    }

    /// <summary>
    /// Reads one element of untrusted XML text (a decrypted assertion) into <paramref name="owner"/>, resolving prefixes the
    /// text does not declare from <paramref name="namespaces"/>; null unless the text is exactly one element, safely read.
    /// </summary>
    public static XmlElement? ReadElement(XmlDocument owner, string text, XmlNamespaceManager namespaces, long maxCharacters)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var settings = Settings(maxCharacters);
        settings.ConformanceLevel = ConformanceLevel.Fragment;
        try
        {
            var context = new XmlParserContext(owner.NameTable, namespaces, null, XmlSpace.Preserve);
            using (var depth = XmlReader.Create(new StringReader(text), settings, context))
            {
                while (depth.Read())
                {
                    if (depth.Depth > MaxDepth)
                    {
                        return null;
                    }
                }
            }

            using var reader = XmlReader.Create(new StringReader(text), settings, context);
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element || owner.ReadNode(reader) is not XmlElement element)
            {
                return null;
            }

            // Only whitespace may follow the element (ReadNode leaves the reader on the node after it).
            while (!reader.EOF)
            {
                if (reader.NodeType is not (XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace or XmlNodeType.None))
                {
                    return null;
                }

                reader.Read();
            }

            return element;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static XmlReaderSettings Settings(long maxCharacters) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = maxCharacters,
        MaxCharactersFromEntities = 1,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    /// <summary>A first streaming pass: XmlDocument has no depth limit of its own.</summary>
    private static bool WithinDepth(string text, long maxCharacters)
    {
        using var reader = XmlReader.Create(new StringReader(text), Settings(maxCharacters));
        while (reader.Read())
        {
            if (reader.Depth > MaxDepth)
            {
                return false;
            }
        }

        return true;
    }
}
