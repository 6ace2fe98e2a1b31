using System.Globalization;
using System.Net;

namespace StarGuide.Gateway.AccessLog;

/// <summary>
/// The seed's log_format: <c>$remote_addr "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"
/// rt=$request_time uct="$upstream_connect_time" uht="$upstream_header_time" urt="$upstream_response_time"</c>,
/// plus the upstream that served the request. Times in seconds with three decimals, "-" where there was none.
/// Client-supplied text is escaped as nginx does (<c>"</c>, <c>\</c>, control characters and the UTF-8 bytes of
/// non-ASCII ones as <c>\xHH</c>), so a request can neither forge nor break a line.
/// </summary>
internal static class AccessLogFormat
{
    /// <summary>Formats one line, newline included; false when <paramref name="destination"/> is too short.</summary>
    public static bool TryFormat(in AccessLogRecord r, Span<char> destination, out int written) =>
        destination.TryWrite(CultureInfo.InvariantCulture,
            $"{new Client(r.Client)} \"{new Escaped(r.Method)} {new Escaped(r.Target)} {new Escaped(r.Protocol)}\" {r.Status} {new Bytes(r.BodyBytes)} \"{new Escaped(r.Referer.ToString())}\" \"{new Escaped(r.UserAgent.ToString())}\" rt={new Seconds(AccessLogEntry.Seconds(r.Start, r.End))} uct=\"{ConnectTime(r)}\" uht=\"{new Seconds(AccessLogEntry.Seconds(r.UpstreamStart, r.UpstreamHeaders))}\" urt=\"{new Seconds(AccessLogEntry.Seconds(r.UpstreamStart, r.UpstreamEnd))}\" upstream={r.Upstream ?? "-"}\n",
            out written);

    // No upstream: "-"; a reused kept-alive connection took no time to connect: 0.000 (as nginx).
    private static Seconds ConnectTime(in AccessLogRecord r) =>
        new(r.UpstreamStart == 0 ? null
            : r.ConnectTicks == 0 ? 0
            : System.Diagnostics.Stopwatch.GetElapsedTime(0, r.ConnectTicks).TotalSeconds);

    private readonly struct Seconds(double? value) : ISpanFormattable
    {
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
            value is { } s
                ? s.TryFormat(destination, out charsWritten, "0.000", CultureInfo.InvariantCulture)
                : Dash(destination, out charsWritten);

        public string ToString(string? format, IFormatProvider? formatProvider) => throw new NotSupportedException();
    }

    private readonly struct Bytes(long? value) : ISpanFormattable
    {
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
            value is { } n
                ? n.TryFormat(destination, out charsWritten, default, CultureInfo.InvariantCulture)
                : Dash(destination, out charsWritten);

        public string ToString(string? format, IFormatProvider? formatProvider) => throw new NotSupportedException();
    }

    private readonly struct Client(IPAddress? value) : ISpanFormattable
    {
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
            value is not null ? value.TryFormat(destination, out charsWritten) : Dash(destination, out charsWritten);

        public string ToString(string? format, IFormatProvider? formatProvider) => throw new NotSupportedException();
    }

    private readonly struct Escaped(string? value) : ISpanFormattable
    {
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        {
            charsWritten = 0;
            Span<byte> utf8 = stackalloc byte[4];
            foreach (var rune in value.AsSpan().EnumerateRunes())
            {
                if (rune.Value is >= ' ' and <= '~' and not '"' and not '\\')
                {
                    if (charsWritten == destination.Length)
                    {
                        return false;
                    }
                    destination[charsWritten++] = (char)rune.Value;
                    continue;
                }
                var count = rune.EncodeToUtf8(utf8);
                for (var i = 0; i < count; i++)
                {
                    if (!destination[charsWritten..].TryWrite(CultureInfo.InvariantCulture, $"\\x{utf8[i]:X2}", out var n))
                    {
                        return false;
                    }
                    charsWritten += n;
                }
            }
            return true;
        }

        public string ToString(string? format, IFormatProvider? formatProvider) => throw new NotSupportedException();
    }

    private static bool Dash(Span<char> destination, out int charsWritten)
    {
        if (destination.IsEmpty)
        {
            charsWritten = 0;
            return false;
        }
        destination[0] = '-';
        charsWritten = 1;
        return true;
    }
}
