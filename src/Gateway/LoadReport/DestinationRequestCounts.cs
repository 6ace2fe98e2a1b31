using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.LoadReport;

/// <summary>
/// Requests sent to each destination since the gateway started, for the scaler's request-rate signal (YARP counts only
/// the requests in flight). One increment per request on a counter found by a weak-table lookup: no allocation.
/// </summary>
internal static class DestinationRequestCounts
{
    private static readonly ConditionalWeakTable<DestinationState, StrongBox<long>> Counts = new();

    public static void Increment(DestinationState destination) =>
        Interlocked.Increment(ref Counts.GetValue(destination, static _ => new StrongBox<long>()).Value);

    public static long Read(DestinationState destination) =>
        Counts.TryGetValue(destination, out var count) ? Interlocked.Read(ref count.Value) : 0;
}
