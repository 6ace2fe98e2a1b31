using System.Diagnostics;
using System.Net;
using StarGuide.Gateway.AccessLog;

namespace StarGuide.Gateway.Tests.AccessLog;

public class AccessLogFormatTests
{
    [Fact]
    public void A_request_that_never_reached_an_upstream_shows_dashes_for_every_upstream_field()
    {
        var start = Stopwatch.GetTimestamp();
        var record = new AccessLogRecord(null, "GET", "/nowhere", "HTTP/1.1", 404, null, default, default,
            start, start + Stopwatch.Frequency / 2, 0, 0, 0, 0, null);

        Assert.Equal("- \"GET /nowhere HTTP/1.1\" 404 - \"\" \"\" rt=0.500 uct=\"-\" uht=\"-\" urt=\"-\" upstream=-\n", Format(record));
    }

    [Fact]
    public void Non_ascii_and_control_characters_are_written_as_their_utf8_bytes()
    {
        var record = new AccessLogRecord(IPAddress.Parse("2001:db8::1"), "GET", "/\u00e9\t", "HTTP/1.1", 200, 12,
            "caf\u00e9", "\U0001F600", 1, 1, 1, 0, 1, 1, "http://10.0.0.1:8000");

        Assert.Equal("2001:db8::1 \"GET /\\xC3\\xA9\\x09 HTTP/1.1\" 200 12 \"caf\\xC3\\xA9\" \"\\xF0\\x9F\\x98\\x80\" " +
            "rt=0.000 uct=\"0.000\" uht=\"0.000\" urt=\"0.000\" upstream=http://10.0.0.1:8000\n", Format(record));
    }

    [Fact]
    public void A_destination_too_short_for_the_line_is_reported_not_overrun()
    {
        var record = new AccessLogRecord(null, "GET", new string('a', 100), "HTTP/1.1", 200, null, default, default,
            1, 1, 0, 0, 0, 0, null);

        Assert.False(AccessLogFormat.TryFormat(record, new char[50], out _));
    }

    private static string Format(AccessLogRecord record)
    {
        var buffer = new char[1024];
        Assert.True(AccessLogFormat.TryFormat(record, buffer, out var written));
        return new string(buffer, 0, written);
    }
}
