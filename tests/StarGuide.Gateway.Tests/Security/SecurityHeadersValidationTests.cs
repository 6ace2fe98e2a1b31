using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.Security;

public class SecurityHeadersValidationTests
{
    [Theory]
    [InlineData("Gateway:SecurityHeaders:X Bad Name", "x", "Gateway:SecurityHeaders:X Bad Name: 'X Bad Name' is not a valid header name")]
    [InlineData("Gateway:SecurityHeaders:Content-Length", "0", "Gateway:SecurityHeaders:Content-Length: Content-Length describes the message framing")]
    [InlineData("Gateway:SecurityHeaders:X-Frame-Options", "DENY\u00e9", "Gateway:SecurityHeaders:X-Frame-Options: the value may hold only visible ASCII")]
    public async Task A_bad_header_stops_the_gateway_naming_the_key(string key, string value, string expected)
    {
        var output = await GatewayProcess.AssertStopsAtStartAsync(new() { [key] = value });

        Assert.Contains(expected, output);
    }
}
