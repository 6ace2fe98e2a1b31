using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StarGuide.Gateway.FrontDoor;
using StarGuide.Gateway.Security;

namespace StarGuide.Gateway.Tests.FrontDoor;

/// <summary>The bytes of the answer to a request refused at the connection.</summary>
public sealed class FrontDoorResponsesTests
{
    [Theory]
    [InlineData(400, "Bad Request")]
    [InlineData(414, "URI Too Long")]
    [InlineData(431, "Request Header Fields Too Large")]
    [InlineData(505, "HTTP Version Not Supported")]
    public void A_refusal_is_empty_closes_and_carries_the_date_and_the_security_headers_that_have_a_value(int status, string reason)
    {
        var headers = new SecurityHeadersOptions();
        headers.Clear();
        headers["X-Frame-Options"] = "DENY";
        headers["X-Empty"] = "";
        headers["Referrer-Policy"] = "no-referrer";
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 5, 3, TimeSpan.Zero));

        var response = Encoding.ASCII.GetString(new FrontDoorResponses(Options.Create(headers), time).For(status));

        Assert.Equal($"HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\nConnection: close\r\nDate: Mon, 07 Dec 2026 09:05:03 GMT\r\n"
            + "X-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\n\r\n", response);
    }
}
