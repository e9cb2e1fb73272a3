using System.Diagnostics;
using System.Xml;

namespace AgleaFeeds.Parsing;

/// <summary>A parse that went past its time or node budget: the source gets an error, the worker goes on.</summary>
internal sealed class ParseBudgetException(string message) : Exception(message);

/// <summary>
/// An XmlReader that passes everything to the reader it wraps and counts what its caller asks of it:
/// past <c>maxNodes</c> nodes read, or past <c>budget</c> of time (checked every 4,096 calls, so a
/// caller that loops without reading, as a parser bug would, is stopped too), it throws
/// <see cref="ParseBudgetException"/>. An unknown bug in any reader built on it costs one feed an
/// error, never a poll thread.
/// </summary>
internal sealed class BudgetedXmlReader(XmlReader inner, TimeSpan budget, long maxNodes) : XmlReader
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _calls;
    private long _nodes;

    private void Tick()
    {
        if ((++_calls & 0xFFF) == 0 && Stopwatch.GetElapsedTime(_started) > budget)
        {
            throw new ParseBudgetException($"Parsing: gave up after {budget.TotalSeconds:0.#} s; the feed is too large or trips a parser bug.");
        }
    }

    public override bool Read()
    {
        Tick();
        if (++_nodes > maxNodes)
        {
            throw new ParseBudgetException($"Parsing: gave up after {maxNodes:N0} XML nodes (limit of one feed); the feed is too large.");
        }

        return inner.Read();
    }

    public override XmlNodeType NodeType
    {
        get
        {
            Tick();
            return inner.NodeType;
        }
    }

    // A loop that never reads still asks for the node type (IsStartElement, MoveToContent): that is where it is counted.
    public override string LocalName => inner.LocalName;

    public override string NamespaceURI => inner.NamespaceURI;

    public override bool IsEmptyElement => inner.IsEmptyElement;

    public override int AttributeCount => inner.AttributeCount;

    public override string BaseURI => inner.BaseURI;

    public override int Depth => inner.Depth;

    public override bool EOF => inner.EOF;

    public override bool HasValue => inner.HasValue;

    public override string Name => inner.Name;

    public override XmlNameTable NameTable => inner.NameTable;

    public override string Prefix => inner.Prefix;

    public override ReadState ReadState => inner.ReadState;

    public override string Value => inner.Value;

    public override string XmlLang => inner.XmlLang;

    public override XmlSpace XmlSpace => inner.XmlSpace;

    public override bool IsDefault => inner.IsDefault;

    public override string GetAttribute(int i) => inner.GetAttribute(i);

    public override string? GetAttribute(string name) => inner.GetAttribute(name);

    public override string? GetAttribute(string name, string? namespaceURI) => inner.GetAttribute(name, namespaceURI);

    public override string? LookupNamespace(string prefix) => inner.LookupNamespace(prefix);

    public override void MoveToAttribute(int i)
    {
        Tick();
        inner.MoveToAttribute(i);
    }

    public override bool MoveToAttribute(string name)
    {
        Tick();
        return inner.MoveToAttribute(name);
    }

    public override bool MoveToAttribute(string name, string? ns)
    {
        Tick();
        return inner.MoveToAttribute(name, ns);
    }

    public override bool MoveToElement()
    {
        Tick();
        return inner.MoveToElement();
    }

    public override bool MoveToFirstAttribute()
    {
        Tick();
        return inner.MoveToFirstAttribute();
    }

    public override bool MoveToNextAttribute()
    {
        Tick();
        return inner.MoveToNextAttribute();
    }

    public override bool ReadAttributeValue()
    {
        Tick();
        return inner.ReadAttributeValue();
    }

    public override void ResolveEntity() => inner.ResolveEntity();

    // The wrapped reader's own fast paths: XmlReader's generic versions of these, built on Read and Value,
    // would make every parse slower by half. Each still counts as a call.
    public override XmlNodeType MoveToContent()
    {
        Tick();
        return inner.MoveToContent();
    }

    public override bool IsStartElement()
    {
        Tick();
        return inner.IsStartElement();
    }

    public override bool IsStartElement(string name)
    {
        Tick();
        return inner.IsStartElement(name);
    }

    public override bool IsStartElement(string localname, string ns)
    {
        Tick();
        return inner.IsStartElement(localname, ns);
    }

    public override void ReadStartElement()
    {
        Tick();
        inner.ReadStartElement();
    }

    public override void ReadStartElement(string name)
    {
        Tick();
        inner.ReadStartElement(name);
    }

    public override void ReadStartElement(string localname, string ns)
    {
        Tick();
        inner.ReadStartElement(localname, ns);
    }

    public override void ReadEndElement()
    {
        Tick();
        inner.ReadEndElement();
    }

    public override string ReadElementContentAsString()
    {
        Tick();
        return inner.ReadElementContentAsString();
    }

    public override string ReadElementContentAsString(string localName, string namespaceURI)
    {
        Tick();
        return inner.ReadElementContentAsString(localName, namespaceURI);
    }

    public override string ReadContentAsString()
    {
        Tick();
        return inner.ReadContentAsString();
    }

    public override string ReadString()
    {
        Tick();
        return inner.ReadString();
    }

    public override string ReadInnerXml()
    {
        Tick();
        return inner.ReadInnerXml();
    }

    public override string ReadOuterXml()
    {
        Tick();
        return inner.ReadOuterXml();
    }

    public override void Skip()
    {
        Tick();
        inner.Skip();
    }

    public override bool HasAttributes => inner.HasAttributes;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
