using StarGuide.Gateway.Tests.Support;

namespace StarGuide.Gateway.Tests.Compression;

public class CompressionValidationTests
{
    [Theory]
    [InlineData("Gateway:Compression:MinimumBytes", "-1", "Gateway:Compression:MinimumBytes must be 0 or more.")]
    [InlineData("Gateway:Compression:MimeTypes:0", "json", "Gateway:Compression:MimeTypes entries must look like 'type/subtype'")]
    [InlineData("Gateway:Compression:MimeTypes:0", "*/*", "Gateway:Compression:MimeTypes entries must look like 'type/subtype'")]
    [InlineData("Gateway:Compression:EnableForHttps", "sometimes", "Gateway:Compression:EnableForHttps")]
    public async Task A_bad_compression_setting_stops_the_gateway_naming_the_key(string key, string value, string expected)
    {
        var output = await GatewayProcess.AssertStopsAtStartAsync(new() { [key] = value });

        Assert.Contains(expected, output);
    }
}
