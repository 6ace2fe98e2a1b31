namespace StarGuide.Gateway.FrontDoor;

internal sealed partial class Http1FramingValidator
{
    private void BeginChunkLine()
    {
        _state = State.ChunkSize;
        _lineBytes = 0;
        _remaining = 0;
        _valueLength = 0; // hex digits seen
    }

    /// <summary>
    /// RFC 9112 7.1: <c>chunk-size [ chunk-ext ] CRLF chunk-data CRLF</c>, with
    /// <c>chunk-ext = *( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] )</c>, then the trailer section
    /// and its closing CRLF. A bare LF anywhere is refused (Kestrel waits for a CRLF that never comes).
    /// </summary>
    private int StepChunked(ReadOnlySpan<byte> span)
    {
        var b = span[0];
        if (_state < State.ChunkData && ++_lineBytes > MaxChunkLineBytes)
        {
            Fail();
            return 0;
        }
        switch (_state)
        {
            case State.ChunkSize:
                if (char.IsAsciiHexDigit((char)b))
                {
                    if (++_valueLength > 15)
                    {
                        Fail(); // more than a 60-bit size
                        return 0;
                    }
                    _remaining = (_remaining << 4) | (long)HexValue(b);
                    return 1;
                }
                if (_valueLength == 0)
                {
                    Fail();
                    return 0;
                }
                return AfterSizeOrExtension(b);
            case State.ChunkExtSpace:
                return AfterSizeOrExtension(b);
            case State.ChunkExtNameStart:
                if (b is (byte)' ' or (byte)'\t')
                {
                    return 1;
                }
                if (!Token.Contains(b))
                {
                    Fail(); // a bare ";" or an invalid name character
                    return 0;
                }
                _state = State.ChunkExtName;
                return 1;
            case State.ChunkExtName:
                if (Token.Contains(b))
                {
                    return 1;
                }
                _state = State.ChunkExtAfterName;
                return StepChunkedAgain(span);
            case State.ChunkExtAfterName:
                if (b is (byte)' ' or (byte)'\t')
                {
                    return 1; // BWS before "=" as well as before ";"
                }
                if (b == '=')
                {
                    _state = State.ChunkExtValueStart;
                    return 1;
                }
                return AfterSizeOrExtension(b);
            case State.ChunkExtValueStart:
                if (b is (byte)' ' or (byte)'\t')
                {
                    return 1;
                }
                if (b == '"')
                {
                    _state = State.ChunkExtQuoted;
                    return 1;
                }
                if (!Token.Contains(b))
                {
                    Fail();
                    return 0;
                }
                _state = State.ChunkExtToken;
                return 1;
            case State.ChunkExtToken:
                if (Token.Contains(b))
                {
                    return 1;
                }
                _state = State.ChunkExtSpace;
                return StepChunkedAgain(span);
            case State.ChunkExtQuoted:
                if (b == '"')
                {
                    _state = State.ChunkExtSpace;
                    return 1;
                }
                if (b == '\\')
                {
                    _state = State.ChunkExtQuotedPair;
                    return 1;
                }
                if (!QuotedChars.Contains(b))
                {
                    Fail();
                    return 0;
                }
                return 1;
            case State.ChunkExtQuotedPair:
                if (b is not ((byte)'\t' or (byte)' ' or (>= 0x21 and <= 0x7E) or >= 0x80))
                {
                    Fail();
                    return 0;
                }
                _state = State.ChunkExtQuoted;
                return 1;
            case State.ChunkSizeLf:
                if (b != '\n')
                {
                    Fail();
                    return 0;
                }
                if (_remaining == 0)
                {
                    _state = State.TrailerLineStart;
                    _headerBytes = 0;
                }
                else
                {
                    _state = State.ChunkData;
                }
                return 1;
            case State.ChunkData:
            {
                var skip = (int)Math.Min(_remaining, span.Length);
                _remaining -= skip;
                if (_remaining == 0)
                {
                    _state = State.ChunkDataCr;
                }
                return skip;
            }
            case State.ChunkDataCr:
                return Expect(b, '\r', State.ChunkDataLf);
            case State.ChunkDataLf:
                if (b != '\n')
                {
                    Fail();
                    return 0;
                }
                BeginChunkLine();
                return 1;
            default:
                return StepTrailer(span);
        }
    }

    // A byte that ended a name or token is examined again by the state that follows; the line counted it once.
    private int StepChunkedAgain(ReadOnlySpan<byte> span)
    {
        _lineBytes--;
        return StepChunked(span);
    }

    private int AfterSizeOrExtension(byte b)
    {
        switch (b)
        {
            case (byte)' ' or (byte)'\t':
                _state = State.ChunkExtSpace;
                return 1;
            case (byte)';':
                _state = State.ChunkExtNameStart;
                return 1;
            case (byte)'\r':
                _state = State.ChunkSizeLf;
                return 1;
            default:
                Fail();
                return 0;
        }
    }

    private int StepTrailer(ReadOnlySpan<byte> span)
    {
        var b = span[0];
        switch (_state)
        {
            case State.TrailerLineStart:
                if (b == '\r')
                {
                    _state = State.TrailerEndLf;
                    return 1;
                }
                if (!Token.Contains(b))
                {
                    Fail();
                    return 0;
                }
                _state = State.TrailerName;
                return Header(1) ? 1 : 0;
            case State.TrailerName:
            {
                var run = Run(span, Token);
                if (!Header(run))
                {
                    return 0;
                }
                if (run < span.Length)
                {
                    if (span[run] != ':')
                    {
                        Fail();
                        return 0;
                    }
                    _state = State.TrailerValue;
                    return run + 1;
                }
                return run;
            }
            case State.TrailerValue:
            {
                var run = Run(span, ValueChars);
                if (!Header(run))
                {
                    return 0;
                }
                if (run < span.Length)
                {
                    if (span[run] != '\r')
                    {
                        Fail();
                        return 0;
                    }
                    _state = State.TrailerLf;
                    return run + 1;
                }
                return run;
            }
            case State.TrailerLf:
                return Expect(b, '\n', State.TrailerLineStart);
            case State.TrailerEndLf:
                return Expect(b, '\n', State.RequestStart);
            default:
                Fail();
                return 0;
        }
    }

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
