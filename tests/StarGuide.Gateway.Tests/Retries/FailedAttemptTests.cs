using System.Net.Sockets;
using StarGuide.Gateway.Retries;

namespace StarGuide.Gateway.Tests.Retries;

public class FailedAttemptTests
{
    public static TheoryData<Exception> NeverConnected() =>
    [
        new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused)),
        new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known"),
        new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established"),
        new TaskCanceledException("canceled", new TimeoutException("A connection could not be established within the configured ConnectTimeout.")),
    ];

    public static TheoryData<Exception> SentSomething() =>
    [
        new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."),
        new HttpRequestException("An error occurred while sending the request.", new IOException("Connection reset by peer", new SocketException((int)SocketError.ConnectionReset))),
        new TaskCanceledException("The operation was canceled."),
    ];

    [Theory]
    [MemberData(nameof(NeverConnected))]
    public void A_connection_that_never_opened_sent_nothing(Exception exception) =>
        Assert.True(FailedAttempt.NothingWasSent(exception));

    [Theory]
    [MemberData(nameof(SentSomething))]
    public void A_connection_that_broke_or_timed_out_after_opening_may_have_sent_the_request(Exception exception) =>
        Assert.False(FailedAttempt.NothingWasSent(exception));
}
