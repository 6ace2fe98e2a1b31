using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using StarGuide.Gateway.Retries;
using StarGuide.Gateway.Tests.Support;
using Yarp.ReverseProxy.Forwarder;

namespace StarGuide.Gateway.Tests.Retries;

/// <summary>
/// The retry rules at their edges: the body-size limit, a response already under way, requests whose body the server
/// cannot tell from a feature, which forwarder errors happened before the response, and the options' bounds.
/// </summary>
public class RetryRulesEdgeTests
{
    private static readonly Exception Dropped = new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.");

    [Theory]
    [InlineData(65_536, 65_536, true)] // exactly MaxBufferedBodyBytes (64 KiB by default) is kept
    [InlineData(65_537, 65_536, false)]
    [InlineData(1, 1, true)]
    [InlineData(1, 0, false)] // 0 keeps no body at all
    public void A_body_up_to_MaxBufferedBodyBytes_is_kept_for_replay(long length, int maxBufferedBodyBytes, bool expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.ContentLength = length;
        context.Request.Body = new Pipe().Reader.AsStream();

        var kept = RetryRules.KeepBodyForReplay(context.Request, new RetryOptions { MaxBufferedBodyBytes = maxBufferedBodyBytes });

        Assert.Equal(expected, kept);
        Assert.Equal(expected, context.Request.Body.CanSeek);
    }

    [Fact]
    public void Nothing_is_retried_once_the_response_has_started()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Features.Set<IHttpResponseFeature>(new StartedResponse());

        Assert.False(RetryRules.MayRetry(context, new ForwarderFailure(ForwarderError.Request, Dropped), new RetryOptions(), replayableBody: false));
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(0L, null, true)]
    [InlineData(5L, null, false)]
    [InlineData(null, "chunked", false)]
    public void Without_body_detection_a_Content_Length_or_Transfer_Encoding_means_a_body(long? contentLength, string? transferEncoding, bool retried)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.ContentLength = contentLength;
        if (transferEncoding is not null)
        {
            context.Request.Headers.TransferEncoding = transferEncoding;
        }
        context.Features.Set<IHttpRequestBodyDetectionFeature>(null);

        Assert.Equal(retried, RetryRules.MayRetry(context, new ForwarderFailure(ForwarderError.Request, Dropped), new RetryOptions(), replayableBody: false));
    }

    [Theory]
    [InlineData(ForwarderError.Request, true)]
    [InlineData(ForwarderError.RequestTimedOut, true)]
    [InlineData(ForwarderError.RequestBodyDestination, true)]
    [InlineData(ForwarderError.None, false)]
    [InlineData(ForwarderError.RequestCanceled, false)]
    [InlineData(ForwarderError.RequestBodyCanceled, false)]
    [InlineData(ForwarderError.RequestBodyClient, false)]
    [InlineData(ForwarderError.ResponseHeaders, false)]
    [InlineData(ForwarderError.ResponseBodyDestination, false)]
    [InlineData(ForwarderError.ResponseBodyClient, false)]
    [InlineData(ForwarderError.UpgradeRequestDestination, false)]
    [InlineData(ForwarderError.NoAvailableDestinations, false)]
    public void Only_errors_before_any_response_byte_allow_a_retry(ForwarderError error, bool beforeResponse)
    {
        Assert.Equal(beforeResponse, FailedAttempt.BeforeResponse(error));
    }

    public static TheoryData<Exception, bool> Wrapped() => new()
    {
        { new SocketException((int)SocketError.ConnectionRefused), true },
        { new IOException("wrapped", new SocketException((int)SocketError.ConnectionRefused)), true },
        { new IOException("wrapped", new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known")), true },
        { new SocketException((int)SocketError.ConnectionReset), false },
        { new SocketException((int)SocketError.TimedOut), false },
        { new HttpRequestException(HttpRequestError.Unknown, "An error occurred while sending the request."), false },
        { new OperationCanceledException("canceled", new IOException("not a timeout")), false },
    };

    [Theory]
    [MemberData(nameof(Wrapped))]
    public void A_refused_connection_is_recognised_however_deeply_it_is_wrapped(Exception exception, bool nothingSent)
    {
        Assert.Equal(nothingSent, FailedAttempt.NothingWasSent(exception));
    }

    [Fact]
    public void No_exception_is_no_proof_that_nothing_was_sent()
    {
        Assert.False(FailedAttempt.NothingWasSent(null));
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(1_048_576, true)]
    [InlineData(1_048_577, false)]
    public void MaxBufferedBodyBytes_must_be_0_to_1_MiB(int value, bool valid)
    {
        var result = new RetryOptionsValidator().Validate(null, new RetryOptions { MaxBufferedBodyBytes = value });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Equal($"Gateway:Retries:MaxBufferedBodyBytes must be between 0 and 1048576; it is {value}.", result.FailureMessage);
        }
    }

    private sealed class StartedResponse : HttpResponseFeature
    {
        public override bool HasStarted => true;
    }
}
