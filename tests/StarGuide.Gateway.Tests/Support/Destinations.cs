using StarGuide.Gateway.LoadBalancing;
using StarGuide.ServiceDefaults.Pools;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.Tests.Support;

/// <summary>YARP runtime state built the way <c>PoolClusters</c> configures it, for tests of single policies.</summary>
internal static class Destinations
{
    public static DestinationState Create(string id, int weight = 1, bool backup = false, int inFlight = 0)
    {
        var config = new DestinationConfig
        {
            Address = "http://127.0.0.1:1/",
            Metadata = DestinationMetadata.From(new InstanceOptions { Id = id, Weight = weight, Backup = backup }),
        };
        return new DestinationState(id, new DestinationModel(config)) { ConcurrentRequestCount = inFlight };
    }

    public static ClusterState Cluster(ClusterConfig config) =>
        new(config.ClusterId, new ClusterModel(config, new HttpMessageInvoker(new SocketsHttpHandler())));
}
