using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using StarGuide.Gateway.Retries;
using StarGuide.Gateway.Tests.Support;
using Yarp.ReverseProxy.Forwarder;

namespace StarGuide.Gateway.Tests.Retries;

public class RetryRulesTests
{
    private static readonly Exception Refused =
        new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused));
    private static readonly Exception Dropped = new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.");

    [Theory]
    [InlineData("GET", false, true)]
    [InlineData("HEAD", false, true)]
    [InlineData("OPTIONS", false, true)]
    [InlineData("DELETE", false, false)]
    [InlineData("DELETE", true, true)]
    [InlineData("PUT", true, true)]
    [InlineData("POST", true, false)]
    [InlineData("PATCH", true, false)]
    public void Bodyless_request_that_reached_the_instance_is_retried_only_when_idempotent(string method, bool putAndDelete, bool expected)
    {
        var context = Request(method);

        var retry = RetryRules.MayRetry(context, new ForwarderFailure(ForwarderError.Request, Dropped),
            new RetryOptions { RetryPutAndDelete = putAndDelete }, replayableBody: false);

        Assert.Equal(expected, retry);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    public void Any_request_whose_connection_never_opened_is_retried(string method)
    {
        var context = Request(method, body: true);

        Assert.True(RetryRules.MayRetry(context, new ForwarderFailure(ForwarderError.Request, Refused), new RetryOptions(), replayableBody: false));
    }

    [Fact]
    public void Idempotent_request_with_a_body_is_retried_only_when_the_body_was_kept()
    {
        var context = Request("PUT", body: true);
        var options = new RetryOptions { RetryPutAndDelete = true };
        var failure = new ForwarderFailure(ForwarderError.RequestBodyDestination, Dropped);

        Assert.False(RetryRules.MayRetry(context, failure, options, replayableBody: false));
        Assert.True(RetryRules.MayRetry(context, failure, options, replayableBody: true));
    }

    [Theory]
    [InlineData(ForwarderError.ResponseBodyDestination)] // the response had begun
    [InlineData(ForwarderError.ResponseHeaders)]
    [InlineData(ForwarderError.RequestCanceled)]
    [InlineData(ForwarderError.RequestBodyClient)]
    [InlineData(ForwarderError.NoAvailableDestinations)]
    public void Errors_after_the_response_began_or_on_the_client_side_are_not_retried(ForwarderError error)
    {
        Assert.False(RetryRules.MayRetry(Request("GET"), new ForwarderFailure(error, Refused), new RetryOptions(), replayableBody: false));
    }

    [Fact]
    public void Request_of_a_client_that_went_away_is_not_retried()
    {
        var context = Request("GET");
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();
        context.RequestAborted = aborted.Token;

        Assert.False(RetryRules.MayRetry(context, new ForwarderFailure(ForwarderError.Request, Refused), new RetryOptions(), replayableBody: false));
    }

    [Theory]
    [InlineData("PUT", 100, true, true)]
    [InlineData("PUT", 100, false, false)] // not idempotent unless configured
    [InlineData("PUT", 70_000, true, false)] // larger than MaxBufferedBodyBytes
    [InlineData("POST", 100, true, false)]
    [InlineData("GET", 0, true, false)]
    public void Only_small_idempotent_bodies_are_kept_for_replay(string method, long length, bool putAndDelete, bool expected)
    {
        var context = Request(method, body: length > 0);
        context.Request.ContentLength = length;
        context.Request.Body = new Pipe().Reader.AsStream(); // like Kestrel's: forward only

        var kept = RetryRules.KeepBodyForReplay(context.Request, new RetryOptions { RetryPutAndDelete = putAndDelete });

        Assert.Equal(expected, kept);
        Assert.Equal(expected, context.Request.Body.CanSeek);
    }

    private static DefaultHttpContext Request(string method, bool body = false)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Features.Set<IHttpRequestBodyDetectionFeature>(new BodyDetection(body));
        return context;
    }

    private sealed class BodyDetection(bool canHaveBody) : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody { get; } = canHaveBody;
    }
}
