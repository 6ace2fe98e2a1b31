using System.Buffers;

namespace StarGuide.Gateway.FrontDoor;

internal sealed partial class Http1FramingValidator
{
    // RFC 9110 5.6.2 tchar.
    private static readonly SearchValues<byte> Token =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    // RFC 9112 3.2 request-target: visible ASCII.
    private static readonly SearchValues<byte> TargetChars = SearchValues.Create(Range(0x21, 0x7E));

    // RFC 9110 5.5 field-value: visible ASCII, obs-text, SP and HTAB; no other control character, no NUL, no DEL.
    private static readonly SearchValues<byte> ValueChars = SearchValues.Create([.. Range(0x20, 0x7E), .. Range(0x80, 0xFF), (byte)'\t']);

    // RFC 9110 5.6.4 qdtext.
    private static readonly SearchValues<byte> QuotedChars =
        SearchValues.Create([(byte)'\t', (byte)' ', 0x21, .. Range(0x23, 0x5B), .. Range(0x5D, 0x7E), .. Range(0x80, 0xFF)]);

    private enum State
    {
        RequestStart, RequestStartLf, Method, Target, Version, RequestLineLf,
        HeaderLineStart, HeaderName, HeaderValue, HeaderLf, HeadersEndLf,
        // Everything from here on is past the head (see InHead).
        Body,
        ChunkSize, ChunkExtSpace, ChunkExtNameStart, ChunkExtName, ChunkExtAfterName, ChunkExtValueStart, ChunkExtToken,
        ChunkExtQuoted, ChunkExtQuotedPair, ChunkSizeLf, ChunkData, ChunkDataCr, ChunkDataLf,
        TrailerLineStart, TrailerName, TrailerValue, TrailerLf, TrailerEndLf,
        PassThrough, Failed,
    }

    private enum HeaderKind { Other, ContentLength, TransferEncoding }

    private static byte[] Range(int first, int last) => [.. Enumerable.Range(first, last - first + 1).Select(b => (byte)b)];

    /// <summary>Examines the start of <paramref name="span"/>; returns how many bytes it accepted.</summary>
    private int Step(ReadOnlySpan<byte> span)
    {
        var b = span[0];
        switch (_state)
        {
            case State.RequestStart:
                StartRequest();
                if (b == '\r')
                {
                    // RFC 9112 2.2: an empty line before a request line is ignored.
                    _state = State.RequestStartLf;
                    return 1;
                }
                _state = State.Method;
                return Step(span);
            case State.RequestStartLf:
                return Expect(b, '\n', State.RequestStart);

            case State.Method:
            {
                var run = Run(span, Token);
                if (!Line(run))
                {
                    return 0;
                }
                Collect(span[..run], _method, ref _methodLength);
                if (run < span.Length)
                {
                    if (span[run] != ' ' || _methodLength == 0)
                    {
                        Fail();
                        return 0;
                    }
                    _state = State.Target;
                    return Line(1) ? run + 1 : 0; // the run is counted already; the space is not
                }
                return run;
            }
            case State.Target:
            {
                var run = Run(span, TargetChars);
                if (!Line(run))
                {
                    return 0;
                }
                _targetIsAsterisk = (_targetLength == 0 && run == 1 && span[0] == '*') || (_targetIsAsterisk && run == 0);
                _targetLength += run;
                if (run < span.Length)
                {
                    if (span[run] != ' ' || _targetLength == 0)
                    {
                        Fail();
                        return 0;
                    }
                    _state = State.Version;
                    return Line(1) ? run + 1 : 0;
                }
                return run;
            }
            case State.Version:
                if (!Line(1))
                {
                    return 0;
                }
                if (b == '\r')
                {
                    _state = State.RequestLineLf;
                    return 1;
                }
                if (_versionLength == _version.Length)
                {
                    Fail();
                    return 0;
                }
                _version[_versionLength++] = b;
                return 1;
            case State.RequestLineLf:
                if (b != '\n' || !RequestLineIsValid())
                {
                    Fail(ErrorStatus == 0 ? 400 : ErrorStatus);
                    return 0;
                }
                if (_state == State.PassThrough)
                {
                    return 1;
                }
                _state = State.HeaderLineStart;
                return 1;

            case State.HeaderLineStart:
                if (b == '\r')
                {
                    _state = State.HeadersEndLf;
                    return Header(1) ? 1 : 0;
                }
                if (!Token.Contains(b))
                {
                    Fail(); // obs-fold (a line starting with whitespace) or an invalid name character
                    return 0;
                }
                _nameLength = 0;
                _valueLength = 0;
                _header = HeaderKind.Other;
                _state = State.HeaderName; // which examines (and counts) this byte again
                return Step(span);
            case State.HeaderName:
            {
                var run = Run(span, Token);
                if (!Header(run))
                {
                    return 0;
                }
                CollectName(span[..run]);
                if (run < span.Length)
                {
                    if (span[run] != ':')
                    {
                        Fail(); // whitespace before the colon, or an invalid name character
                        return 0;
                    }
                    _header = Classify();
                    _state = State.HeaderValue;
                    return Header(1) ? run + 1 : 0;
                }
                return run;
            }
            case State.HeaderValue:
            {
                var run = Run(span, ValueChars);
                if (!Header(run))
                {
                    return 0;
                }
                if (_header != HeaderKind.Other)
                {
                    CollectValue(span[..run]);
                }
                if (run < span.Length)
                {
                    if (span[run] != '\r')
                    {
                        Fail(); // a control character, NUL, DEL, or a bare LF
                        return 0;
                    }
                    _state = State.HeaderLf;
                    return Header(1) ? run + 1 : 0;
                }
                return run;
            }
            case State.HeaderLf:
                if (b != '\n')
                {
                    Fail();
                    return 0;
                }
                if (!Header(1))
                {
                    return 0; // 431, as for any other byte over the limit
                }
                if (!EndHeader())
                {
                    Fail();
                    return 0;
                }
                _state = State.HeaderLineStart;
                return 1;
            case State.HeadersEndLf:
                if (b != '\n')
                {
                    Fail();
                    return 0;
                }
                EndHead();
                return 1;

            case State.Body:
            {
                var skip = (int)Math.Min(_remaining, span.Length);
                _remaining -= skip;
                if (_remaining == 0)
                {
                    _state = State.RequestStart;
                }
                return skip;
            }
            default:
                return StepChunked(span);
        }
    }

    private int Expect(byte b, char expected, State next)
    {
        if (b != expected)
        {
            Fail();
            return 0;
        }
        _state = next;
        return 1;
    }

    private static int Run(ReadOnlySpan<byte> span, SearchValues<byte> allowed)
    {
        var run = span.IndexOfAnyExcept(allowed);
        return run < 0 ? span.Length : run;
    }

    private bool Line(int bytes)
    {
        _lineBytes += bytes;
        if (_lineBytes > maxRequestLineBytes)
        {
            Fail(414);
            return false;
        }
        return true;
    }

    private bool Header(int bytes)
    {
        _headerBytes += bytes;
        if (_headerBytes > maxHeaderBytes)
        {
            Fail(431);
            return false;
        }
        return true;
    }

    /// <summary>Keeps the first bytes (as many as <paramref name="into"/> holds) and counts them all.</summary>
    private static void Collect(ReadOnlySpan<byte> bytes, byte[] into, ref int length)
    {
        var room = Math.Clamp(into.Length - length, 0, bytes.Length);
        bytes[..room].CopyTo(into.AsSpan(Math.Min(length, into.Length)));
        length += bytes.Length;
    }
}
