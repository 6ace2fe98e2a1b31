using System.Buffers;

namespace StarGuide.Gateway.FrontDoor;

/// <summary>
/// Follows one HTTP/1.1 connection's request bytes (RFC 9112) as they arrive and stops at the first byte that a strict
/// parser would refuse: Kestrel accepts some of those (signed Content-Length, any chunk extension, control characters
/// in header values, invalid header-name characters, a bare LF ending a chunked trailer), and a front door that is
/// laxer than the servers behind it invites request smuggling. Body bytes are skipped, not inspected.
/// </summary>
/// <remarks>
/// One instance per connection; not thread-safe (a connection's input is read by one reader at a time).
/// Offsets are counted from the start of the connection.
/// </remarks>
internal sealed partial class Http1FramingValidator(int maxRequestLineBytes, int maxHeaderBytes)
{
    private const int MaxChunkLineBytes = 4096;

    private State _state = State.RequestStart;
    private long _offset;
    private long _requestStart;
    private int _lineBytes;
    private int _headerBytes;
    private long _remaining;
    private bool _firstRequest = true;

    // The request being parsed.
    private readonly byte[] _method = new byte[8];
    private int _methodLength;
    private bool _targetIsAsterisk;
    private int _targetLength;
    private readonly byte[] _version = new byte[8];
    private int _versionLength;
    private readonly byte[] _name = new byte[20];
    private int _nameLength;
    private readonly byte[] _value = new byte[24];
    private int _valueLength;
    private HeaderKind _header;
    private long _contentLength;
    private bool _hasContentLength;
    private bool _chunked;

    /// <summary>Bytes examined so far.</summary>
    public long Offset => _offset;

    /// <summary>Where the request being parsed began (the request that failed, once <see cref="Failed"/>).</summary>
    public long RequestStart => _requestStart;

    /// <summary>Whether the current request's head (request line and headers) is still incomplete.</summary>
    public bool InHead => _state is not State.RequestStart && _state < State.Body;

    /// <summary>
    /// Past an HTTP/2 preface or a 101 Switching Protocols (<see cref="SwitchProtocols"/>): the rest of the connection
    /// is not HTTP/1.1 requests.
    /// </summary>
    public bool PassThrough => _state == State.PassThrough;

    public bool Failed => _state == State.Failed;

    /// <summary>The status a refused request gets: 400, or 414/431 for a request line or headers too long, 505.</summary>
    public int ErrorStatus { get; private set; }

    /// <summary>Examines the bytes that follow those examined so far, until they end or one is refused.</summary>
    public void Process(ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            var span = segment.Span;
            while (span.Length > 0 && _state is not (State.Failed or State.PassThrough))
            {
                var used = Step(span);
                _offset += used;
                span = span[used..];
            }
            if (_state is State.Failed or State.PassThrough)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The server answered 101 Switching Protocols: what follows that response's request is another protocol. Only
    /// the 101 says so; a request that asks for an upgrade (<c>Upgrade</c>) and gets any other answer is followed by
    /// HTTP/1.1 requests, which Kestrel parses and which are examined as strictly as the others. Bytes after such a
    /// request that arrived before the answer may have been examined (and refused) already: the switch overrides that.
    /// </summary>
    public void SwitchProtocols() => _state = State.PassThrough;

    private void Fail(int status = 400)
    {
        ErrorStatus = status;
        _state = State.Failed;
    }
}
