using System.Net;

namespace StarGuide.SampleApps.Tests;

public sealed class FrontendTests(FrontendFactory factory) : IClassFixture<FrontendFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("/")]
    [InlineData("/some/deep/link")]
    public async Task Page_routes_return_index_html(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>StarGuide</title>", html, StringComparison.Ordinal);
        Assert.Contains("/static/app.js", html, StringComparison.Ordinal);
        Assert.Contains("/static/app.css", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task App_js_is_served_as_javascript()
    {
        using var response = await _client.GetAsync(new Uri("/static/app.js", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/api/hello", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task App_css_is_served_as_css()
    {
        using var response = await _client.GetAsync(new Uri("/static/app.css", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/static/missing.js")]
    [InlineData("/static/missing")]
    [InlineData("/missing.png")]
    public async Task A_missing_file_is_404_not_index_html(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(FrontendFactory.InstanceId, response.InstanceHeader());
    }

    [Fact]
    public async Task Api_paths_are_404_as_they_belong_to_the_backend()
    {
        using var response = await _client.GetAsync(new Uri("/api/hello", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Healthz_returns_healthy_and_the_instance_id()
    {
        using var response = await _client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal(FrontendFactory.InstanceId, body.GetProperty("instance").GetString());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/some/deep/link")]
    [InlineData("/static/app.js")]
    [InlineData("/healthz")]
    public async Task Every_response_carries_the_instance_header(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(FrontendFactory.InstanceId, response.InstanceHeader());
    }
}
