using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.Limits;

public class LimitsValidationTests
{
    [Theory]
    [InlineData("Gateway:Limits:MaxRequestBodyBytes", "0", "Gateway:Limits:MaxRequestBodyBytes must be 1 or more.")]
    [InlineData("Gateway:Limits:MaxRequestBodyBytes", "50M", "Gateway:Limits:MaxRequestBodyBytes")]
    [InlineData("Gateway:Limits:MaxRequestHeadersTotalBytes", "2097152", "Gateway:Limits:MaxRequestHeadersTotalBytes must be between 1024 and 1048576.")]
    [InlineData("Gateway:Limits:MaxRequestLineBytes", "10", "Gateway:Limits:MaxRequestLineBytes must be between 256 and 1048576.")]
    [InlineData("Gateway:Limits:KeepAliveTimeout", "00:00:00", "Gateway:Limits:KeepAliveTimeout must be between 00:00:01 and 01:00:00.")]
    public async Task A_bad_limit_stops_the_gateway_naming_the_key(string key, string value, string expected)
    {
        var output = await GatewayProcess.AssertStopsAtStartAsync(new() { [key] = value });

        Assert.Contains(expected, output);
    }
}
