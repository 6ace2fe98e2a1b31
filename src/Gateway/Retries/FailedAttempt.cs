using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;

namespace StarGuide.Gateway.Retries;

/// <summary>What a failed attempt to reach an instance allows, judged from YARP's <see cref="IForwarderErrorFeature"/>.</summary>
internal static class FailedAttempt
{
    /// <summary>
    /// The instance failed before a byte of its response arrived: could not be reached, dropped the connection, or
    /// did not answer in time (nginx's <c>error</c> and <c>timeout</c>). Errors after the response began, errors on the
    /// client's side and cancellations are not.
    /// </summary>
    public static bool BeforeResponse(ForwarderError error) =>
        error is ForwarderError.Request or ForwarderError.RequestTimedOut or ForwarderError.RequestBodyDestination;

    /// <summary>
    /// The connection was never established (refused, name not resolved, TLS handshake failed, connect timed out), so
    /// nothing of the request went out and even a POST can be sent elsewhere.
    /// </summary>
    public static bool NothingWasSent(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError }:
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                // SocketsHttpHandler's ConnectTimeout: an OperationCanceledException around a TimeoutException. The
                // activity timeout that YARP applies after connecting cancels without one.
                case OperationCanceledException { InnerException: TimeoutException }:
                    return true;
            }
        }
        return false;
    }
}
