using System.Text;

namespace StarGuide.Gateway.FrontDoor;

internal sealed partial class Http1FramingValidator
{
    private void StartRequest()
    {
        _requestStart = _offset;
        _lineBytes = 0;
        _headerBytes = 0;
        _methodLength = 0;
        _targetLength = 0;
        _targetIsAsterisk = false;
        _versionLength = 0;
        _hasContentLength = false;
        _contentLength = 0;
        _chunked = false;
    }

    private ReadOnlySpan<byte> Method => _method.AsSpan(0, Math.Min(_methodLength, _method.Length));

    private bool RequestLineIsValid()
    {
        var version = _version.AsSpan(0, _versionLength);
        if (_firstRequest && Method.SequenceEqual("PRI"u8) && _methodLength == 3 && _targetIsAsterisk && version.SequenceEqual("HTTP/2.0"u8))
        {
            // HTTP/2 with prior knowledge: Kestrel's concern, not HTTP/1.1 framing.
            _state = State.PassThrough;
            return true;
        }
        _firstRequest = false;
        if (!version.SequenceEqual("HTTP/1.1"u8) && !version.SequenceEqual("HTTP/1.0"u8))
        {
            // A well-formed other version is unsupported (505); anything else, "http/1.1" included, is malformed.
            var wellFormed = version.Length == 8 && version.StartsWith("HTTP/"u8)
                && char.IsAsciiDigit((char)version[5]) && version[6] == '.' && char.IsAsciiDigit((char)version[7]);
            ErrorStatus = wellFormed ? 505 : 400;
            return false;
        }
        // RFC 9112 3.2.4: the asterisk form is for OPTIONS only.
        return !_targetIsAsterisk || (_methodLength == 7 && Method.SequenceEqual("OPTIONS"u8));
    }

    private void CollectName(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (_nameLength < _name.Length)
            {
                _name[_nameLength] = (byte)(b | 0x20); // ASCII lower case; tchars only, so harmless for the rest
            }
            _nameLength++;
        }
    }

    private HeaderKind Classify()
    {
        if (_nameLength > _name.Length)
        {
            return HeaderKind.Other;
        }
        var name = _name.AsSpan(0, _nameLength);
        return name.SequenceEqual("content-length"u8) ? HeaderKind.ContentLength
            : name.SequenceEqual("transfer-encoding"u8) ? HeaderKind.TransferEncoding
            : HeaderKind.Other;
    }

    private void CollectValue(ReadOnlySpan<byte> bytes) => Collect(bytes, _value, ref _valueLength);

    /// <summary>At the end of a header line: framing headers must be exact (no sign, no list, no repeat).</summary>
    private bool EndHeader()
    {
        if (_header == HeaderKind.Other)
        {
            return true;
        }
        if (_valueLength > _value.Length)
        {
            return false; // no Content-Length or Transfer-Encoding value that is valid is this long
        }
        var value = _value.AsSpan(0, _valueLength).Trim(" \t"u8);
        switch (_header)
        {
            case HeaderKind.ContentLength:
                if (_hasContentLength || value.Length is 0 or > 18 || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
                {
                    return false;
                }
                _hasContentLength = true;
                _contentLength = long.Parse(Encoding.ASCII.GetString(value), System.Globalization.CultureInfo.InvariantCulture);
                return true;
            default:
                // Only "chunked" alone, as nginx: other codings (and lists) are not something a proxy can frame.
                if (_chunked || !Ascii.EqualsIgnoreCase(value, "chunked"u8))
                {
                    return false;
                }
                _chunked = true;
                return true;
        }
    }

    private void EndHead()
    {
        if (_chunked && _hasContentLength)
        {
            // RFC 9112 6.1 allows either refusing or ignoring Content-Length; refusing leaves nothing to interpret.
            Fail();
            return;
        }
        if (_chunked)
        {
            BeginChunkLine();
            return;
        }
        _remaining = _contentLength;
        _state = _remaining > 0 ? State.Body : State.RequestStart;
    }
}
