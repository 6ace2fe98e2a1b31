using System.Text;
using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.FrontDoor;

/// <summary>
/// Strict HTTP/1.1 framing at the front door: what Kestrel (and so YARP alone) would accept but a strict server refuses
/// gets 400 with the security headers, closes the connection and reaches no upstream.
/// </summary>
public sealed class StrictFramingTests : WithGateway
{
    private const string Chunked = "POST /api/upload HTTP/1.1\r\nHost: g\r\nTransfer-Encoding: chunked\r\n\r\n";

    public static TheoryData<string, string> Refused => new()
    {
        { "signed Content-Length +5", "POST /api/a HTTP/1.1\r\nHost: g\r\nContent-Length: +5\r\n\r\nhello" },
        { "signed Content-Length -0", "POST /api/a HTTP/1.1\r\nHost: g\r\nContent-Length: -0\r\n\r\n" },
        { "a bare ; as chunk extension", Chunked + "5;\r\nhello\r\n0\r\n\r\n" },
        { "an invalid token character in a chunk extension", Chunked + "5;a@b\r\nhello\r\n0\r\n\r\n" },
        { "a control character in a chunk extension", Chunked + "5;a\u0001\r\nhello\r\n0\r\n\r\n" },
        { "NUL in a chunk extension", Chunked + "5;a\0b\r\nhello\r\n0\r\n\r\n" },
        { "an unterminated quoted chunk extension value", Chunked + "5;a=\"b\r\nhello\r\n0\r\n\r\n" },
        { "a bare LF ending the chunked trailer", Chunked + "5\r\nhello\r\n0\r\n\n" },
        { "a bare LF after chunk data", Chunked + "5\r\nhello\n0\r\n\r\n" },
        { "an invalid header-name character", "GET /api/a HTTP/1.1\r\nHost: g\r\nX(a): 1\r\n\r\n" },
        { "a control character in a header value", "GET /api/a HTTP/1.1\r\nHost: g\r\nX-A: a\u0001b\r\n\r\n" },
        { "NUL in a header value", "GET /api/a HTTP/1.1\r\nHost: g\r\nX-A: a\0b\r\n\r\n" },
        { "an obs-folded header line", "GET /api/a HTTP/1.1\r\nHost: g\r\nX-A: a\r\n b\r\n\r\n" },
        { "a bare LF ending a header line", "GET /api/a HTTP/1.1\r\nHost: g\nX-A: a\r\n\r\n" },
        { "http/1.1 in lower case", "GET /api/a http/1.1\r\nHost: g\r\n\r\n" },
        { "* as the target of a GET", "GET * HTTP/1.1\r\nHost: g\r\n\r\n" },
        { "two spaces in the request line", "GET  /api/a HTTP/1.1\r\nHost: g\r\n\r\n" },
        { "Transfer-Encoding other than chunked alone", "POST /api/a HTTP/1.1\r\nHost: g\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n" },
        { "two Content-Length headers even when equal", "POST /api/a HTTP/1.1\r\nHost: g\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_request_a_strict_parser_refuses_gets_400_with_security_headers_and_reaches_no_upstream(string what, string request)
    {
        var response = await RawHttp.SendBytesAsync(Gateway.Port, Encoding.Latin1.GetBytes(request));

        Assert.True(response.Status == 400, $"{what}: {response.Text}");
        SeedSecurityHeaders.AssertPresent(response);
        Assert.True(response.ClosedByServer);
        Assert.Equal(0, Upstream.Requests);
    }

    [Theory]
    [InlineData("5;name\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5;a=b;c=\"quoted \\\" text\"\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n")]
    public async Task Chunk_extensions_and_trailers_that_follow_the_grammar_pass(string body)
    {
        var response = await RawHttp.SendBytesAsync(Gateway.Port, Encoding.Latin1.GetBytes(Chunked.Replace("Host: g", "Host: g\r\nConnection: close") + body));

        Assert.Equal(200, response.Status);
        Assert.Equal("hello", Encoding.UTF8.GetString(Upstream.LastRequest!.Body));
    }

    [Fact]
    public async Task Options_with_the_asterisk_target_passes_the_front_door()
    {
        var response = await RawHttp.SendAsync(Gateway.Port, "OPTIONS * HTTP/1.1\nHost: g\nConnection: close\n\n");

        // Past the front door (what the proxy then makes of it is not framing's concern).
        Assert.NotEqual(0, response.Status);
        Assert.NotEqual(400, response.Status);
    }

    [Fact]
    public async Task Connect_gets_405()
    {
        var response = await RawHttp.SendAsync(Gateway.Port, "CONNECT example.com:443 HTTP/1.1\nHost: example.com:443\nConnection: close\n\n");

        Assert.Equal(405, response.Status);
        SeedSecurityHeaders.AssertPresent(response);
        Assert.Equal(0, Upstream.Requests);
    }

    [Fact]
    public async Task A_head_that_arrives_in_pieces_is_put_together_and_passes()
    {
        var response = await RawHttp.SendBytesAsync(Gateway.Port,
            "GET /api/pie"u8.ToArray(), "ces HTTP/1.1\r\nHo"u8.ToArray(), "st: g\r\nConnection: close\r"u8.ToArray(), "\n\r\n"u8.ToArray());

        Assert.Equal(200, response.Status);
        Assert.Equal("/api/pieces", Upstream.LastRequest!.PathAndQuery);
    }

    [Fact]
    public async Task Requests_before_a_refused_one_on_the_same_connection_are_answered_first()
    {
        var response = await RawHttp.SendBytesAsync(Gateway.Port, Encoding.Latin1.GetBytes(
            "GET /api/first HTTP/1.1\r\nHost: g\r\n\r\n"
            + "POST /api/second HTTP/1.1\r\nHost: g\r\nContent-Length: 5\r\n\r\nhello"
            + "GET /api/third HTTP/1.1\r\nHost: g\r\nX-A: \u0001\r\n\r\n"
            + "GET /api/fourth HTTP/1.1\r\nHost: g\r\n\r\n"));

        Assert.Equal(3, response.ResponseCount);
        Assert.Contains("HTTP/1.1 400 Bad Request", response.Text);
        Assert.True(response.ClosedByServer);
        Assert.Equal(2, Upstream.Requests);
        Assert.Equal("/api/second", Upstream.LastRequest!.PathAndQuery);
    }

    // A request carrying Upgrade is answered like any other unless the upstream switches protocols: the bytes after it
    // are the next HTTP/1.1 request, which Kestrel parses, and so is the front door.
    [Theory]
    [InlineData("Upgrade: foo")]
    [InlineData("Connection: Upgrade\r\nUpgrade: foo")]
    [InlineData("Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==")]
    public async Task After_an_upgrade_request_answered_without_101_the_next_request_is_framed_strictly(string upgrade)
    {
        var response = await RawHttp.SendBytesAsync(Gateway.Port, Encoding.Latin1.GetBytes(
            $"GET /api/first HTTP/1.1\r\nHost: g\r\n{upgrade}\r\n\r\n"
            + Chunked.Replace("Host: g", "Host: g\r\nConnection: close") + "5;\r\nhello\r\n0\r\n\r\n"));

        Assert.Equal(200, response.Status);
        Assert.True(response.ResponseCount == 2, response.Text);
        Assert.Contains("HTTP/1.1 400 Bad Request", response.Text);
        Assert.True(response.ClosedByServer);
        Assert.Equal(1, Upstream.Requests);
    }

    [Theory]
    [InlineData(414)]
    [InlineData(431)]
    public async Task The_limits_answers_carry_the_security_headers(int status)
    {
        var request = status == 414
            ? $"GET /api/{new string('p', 9000)} HTTP/1.1\r\nHost: g\r\n\r\n"
            : $"GET /api/a HTTP/1.1\r\nHost: g\r\nCookie: {new string('c', 33 * 1024)}\r\n\r\n";

        var response = await RawHttp.SendBytesAsync(Gateway.Port, Encoding.Latin1.GetBytes(request));

        Assert.Equal(status, response.Status);
        SeedSecurityHeaders.AssertPresent(response);
        Assert.Equal(0, Upstream.Requests);
    }
}

/// <summary>With the filter off, the front door accepts what Kestrel accepts (the setting exists to measure its cost).</summary>
public sealed class StrictFramingOffTests : WithGateway
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["Gateway:FrontDoor:StrictHttp1"] = "false";

    [Fact]
    public async Task A_signed_content_length_is_then_forwarded()
    {
        var response = await RawHttp.SendAsync(Gateway.Port, "POST /api/a HTTP/1.1\nHost: g\nContent-Length: +5\nConnection: close\n\nhello");

        Assert.Equal(200, response.Status);
        Assert.Equal(1, Upstream.Requests);
    }
}
