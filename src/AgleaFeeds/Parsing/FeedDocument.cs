using System.Buffers;
using System.Text;

namespace AgleaFeeds.Parsing;

/// <summary>A fetched document's decoded text, in a buffer rented from the shared pool until the parse is done.</summary>
/// <remarks>Nothing read from it may outlive it: the readers it opens copy what they return.</remarks>
internal sealed class FeedDocument : IDisposable
{
    private char[]? _rented;

    private FeedDocument(char[]? rented, ReadOnlyMemory<char> text)
    {
        _rented = rented;
        Text = text;
    }

    /// <summary>The text; empty once disposed.</summary>
    public ReadOnlyMemory<char> Text { get; private set; }

    public ReadOnlySpan<char> Span => Text.Span;

    /// <summary>Decodes bytes into a rented buffer.</summary>
    public static FeedDocument Decode(Encoding encoding, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        var rented = ArrayPool<char>.Shared.Rent(Math.Max(1, encoding.GetCharCount(bytes)));
        var length = encoding.GetChars(bytes, rented);
        return new FeedDocument(rented, rented.AsMemory(0, length));
    }

    /// <summary>Wraps text that is already a string (a repaired document).</summary>
    public static FeedDocument Of(string text) => new(null, text.AsMemory());

    /// <summary>A reader over the text, for XmlReader.</summary>
    public TextReader OpenReader() => new MemoryReader(Text);

    public void Dispose()
    {
        if (_rented is { } rented)
        {
            _rented = null;
            Text = ReadOnlyMemory<char>.Empty;
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>StringReader's behaviour over memory (the BCL has a reader over strings only).</summary>
    private sealed class MemoryReader(ReadOnlyMemory<char> text) : TextReader
    {
        private int _position;

        public override int Peek() => _position < text.Length ? text.Span[_position] : -1;

        public override int Read() => _position < text.Length ? text.Span[_position++] : -1;

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            var n = Math.Min(buffer.Length, text.Length - _position);
            text.Span.Slice(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override string ReadToEnd()
        {
            var rest = text.Span[_position..].ToString();
            _position = text.Length;
            return rest;
        }
    }
}
