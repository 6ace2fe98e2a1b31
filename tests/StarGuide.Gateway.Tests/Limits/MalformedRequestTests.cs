using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.Limits;

/// <summary>
/// Requests whose framing is malformed or ambiguous, sent as raw bytes: refused, and never forwarded as if complete.
/// The proxy re-frames what it forwards, so the upstream connection cannot be desynchronised by what a client sends.
/// </summary>
public sealed class MalformedRequestTests : WithGateway
{
    private int Port => Gateway.Port;

    [Theory]
    [InlineData("Content-Length: 5\nContent-Length: 6\n\nhello!")]
    [InlineData("Content-Length: 5, 6\n\nhello!")]
    [InlineData("Content-Length : 5\n\nhello")]
    [InlineData("Transfer-Encoding: chunked, gzip\n\n5\nhello\n0\n\n")]
    public async Task Ambiguous_framing_headers_get_400_and_nothing_is_forwarded(string framing)
    {
        var response = await RawHttp.SendAsync(Port, $"POST /api/upload HTTP/1.1\nHost: gateway\n{framing}");

        Assert.Equal(400, response.Status);
        Assert.True(response.ClosedByServer);
        Assert.Equal(0, Upstream.Requests);
    }

    [Theory]
    [InlineData("zz\nhello\n0\n\n")]
    [InlineData("5\nhello\nzz\nhello\n0\n\n")]
    public async Task A_bad_chunk_size_gets_400_closes_the_connection_and_never_reaches_the_upstream_complete(string body)
    {
        var response = await RawHttp.SendAsync(Port,
            $"POST /api/upload HTTP/1.1\nHost: gateway\nTransfer-Encoding: chunked\n\n{body}");

        Assert.Equal(400, response.Status);
        Assert.True(response.ClosedByServer);
        // The proxy streams bodies, so the upstream may have seen the headers; it never sees the body complete.
        Assert.Equal(0, Upstream.BodiesCompleted);
    }

    [Fact]
    public async Task Content_length_beside_chunked_gets_400_and_nothing_is_forwarded()
    {
        // RFC 9112 6.1 lets a server either drop Content-Length or refuse; the front door refuses (as nginx does), so
        // nothing a CL-framing server would read differently ever reaches an upstream.
        var response = await RawHttp.SendAsync(Port,
            "POST /api/upload HTTP/1.1\nHost: gateway\nContent-Length: 4\nTransfer-Encoding: chunked\n\n"
            + "5\nhello\n0\n\nGET /api/smuggled HTTP/1.1\nHost: gateway\n\n");

        Assert.Equal(400, response.Status);
        Assert.Equal(1, response.ResponseCount);
        Assert.True(response.ClosedByServer);
        Assert.Equal(0, Upstream.Requests);
    }
}
