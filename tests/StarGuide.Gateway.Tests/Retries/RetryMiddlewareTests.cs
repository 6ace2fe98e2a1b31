using System.Diagnostics.Metrics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using StarGuide.Gateway.Health;
using StarGuide.Gateway.LoadBalancing;
using StarGuide.Gateway.LoadReport;
using StarGuide.Gateway.Retries;
using StarGuide.Gateway.Tests.Support;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.Tests.Retries;

/// <summary>
/// <see cref="RetryMiddleware"/> in the proxy pipeline without a network: a stand-in for YARP's forwarder fails the
/// attempts to the instances a test names, so that where each attempt went, what the client is left with and what was
/// counted can be read exactly.
/// </summary>
public class RetryMiddlewareTests
{
    private static readonly Exception Refused =
        new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused));

    private readonly IMeterFactory _meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
    private readonly FakeLogger<RetryMiddleware> _logger = new();
    private readonly List<string> _attempts = [];
    private readonly List<string> _bodies = [];
    private readonly HashSet<string> _failing = [];

    [Fact]
    public async Task An_attempt_whose_connection_was_refused_is_sent_to_another_instance_and_the_client_gets_its_answer()
    {
        var (cluster, all) = Pool(["a", "b"]);
        _failing.Add("a");
        using var retries = new MetricCollector<long>(_meters, RetryMetrics.MeterName, "starguide.gateway.retries");

        var context = await SendAsync(cluster, all[0]);

        Assert.Equal(["a", "b"], _attempts);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Null(context.Features.Get<IForwarderErrorFeature>()); // else passive health would count it against b
        var retry = Assert.Single(retries.GetMeasurementSnapshot());
        Assert.Equal("backend", retry.Tags["pool"]);
        Assert.Equal("Request", retry.Tags["error"]);
        Assert.Equal("GET to backend/a failed before any response (Request); sending it to b", _logger.Collector.LatestRecord.Message);
    }

    [Fact]
    public async Task The_retry_counter_states_its_unit_and_what_it_counts()
    {
        var (cluster, all) = Pool(["a", "b"]);
        _failing.Add("a");
        using var retries = new MetricCollector<long>(_meters, RetryMetrics.MeterName, "starguide.gateway.retries");

        await SendAsync(cluster, all[0]);

        Assert.Equal("{request}", retries.Instrument!.Unit);
        Assert.Equal("Requests whose first attempt failed before any response byte and were sent to another instance",
            retries.Instrument.Description);
    }

    [Fact]
    public async Task Each_attempt_is_counted_against_the_instance_it_went_to()
    {
        var (cluster, all) = Pool(["a", "b"]);
        _failing.Add("a");

        await SendAsync(cluster, all[0]);
        await SendAsync(cluster, all[1]);

        Assert.Equal(1, DestinationRequestCounts.Read(all[0]));
        Assert.Equal(2, DestinationRequestCounts.Read(all[1]));
    }

    [Fact]
    public async Task With_retries_off_the_client_gets_the_failure_and_the_attempt_is_still_counted()
    {
        var (cluster, all) = Pool(["a", "b"]);
        _failing.Add("a");

        var context = await SendAsync(cluster, all[0], new RetryOptions { Enabled = false });

        Assert.Equal(["a"], _attempts);
        Assert.Equal(StatusCodes.Status502BadGateway, context.Response.StatusCode);
        Assert.NotNull(context.Features.Get<IForwarderErrorFeature>());
        Assert.Equal(1, DestinationRequestCounts.Read(all[0]));
    }

    [Fact]
    public async Task A_request_is_retried_once_only_and_the_client_gets_the_second_failure()
    {
        var (cluster, all) = Pool(["a", "b", "c"]);
        _failing.UnionWith(["a", "b", "c"]);

        var context = await SendAsync(cluster, all[0]);

        Assert.Equal(2, _attempts.Count);
        Assert.Equal(StatusCodes.Status502BadGateway, context.Response.StatusCode);
        Assert.NotNull(context.Features.Get<IForwarderErrorFeature>());
    }

    [Fact]
    public async Task The_only_instance_of_a_pool_is_not_tried_twice()
    {
        var (cluster, all) = Pool(["a"]);
        _failing.Add("a");

        var context = await SendAsync(cluster, all[0]);

        Assert.Equal(["a"], _attempts);
        Assert.Equal(StatusCodes.Status502BadGateway, context.Response.StatusCode);
    }

    [Fact]
    public async Task The_retry_goes_where_the_pool_s_load_balancing_policy_sends_it()
    {
        var (cluster, all) = Pool(["a", "b", "c"]);
        _failing.Add("a");
        all[1].ConcurrentRequestCount = 1; // b is busier than c

        await SendAsync(cluster, all[0]);

        Assert.Equal(["a", "c"], _attempts);
    }

    [Fact]
    public async Task A_pool_without_a_policy_retries_with_YARP_s_default_power_of_two_choices()
    {
        var (cluster, all) = Pool(["a", "b", "c"], policy: null);
        _failing.Add("a");
        var powerOfTwo = new FixedPolicy(LoadBalancingPolicies.PowerOfTwoChoices, pick: "c");

        await SendAsync(cluster, all[0], policies: [new WeightedLeastRequestsPolicy(), powerOfTwo]);

        Assert.Equal(["a", "c"], _attempts);
    }

    [Fact]
    public async Task A_pool_whose_policy_is_unknown_retries_on_the_first_other_instance()
    {
        var (cluster, all) = Pool(["a", "b", "c"], policy: "Unknown");
        _failing.Add("a");

        await SendAsync(cluster, all[0]);

        Assert.Equal(["a", "b"], _attempts);
    }

    [Fact]
    public async Task When_the_last_primary_fails_the_retry_goes_to_a_backup()
    {
        var (cluster, all) = Pool(["a", "b"]);
        all[1] = Destinations.Create("b", backup: true);
        cluster.DestinationsState = new ClusterDestinationsState(all, all);
        _failing.Add("a");

        await SendAsync(cluster, all[0]);

        Assert.Equal(["a", "b"], _attempts);
    }

    [Fact]
    public async Task A_kept_body_is_sent_again_from_its_start()
    {
        var (cluster, all) = Pool(["a", "b"]);
        _failing.Add("a");
        var context = Request(cluster, all[0], "PUT");
        var body = Encoding.UTF8.GetBytes("payload");
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(body);
        await pipe.Writer.CompleteAsync();
        context.Request.Body = pipe.Reader.AsStream();
        context.Request.ContentLength = body.Length;

        await Middleware(new RetryOptions { RetryPutAndDelete = true }).InvokeAsync(context);

        Assert.Equal(["a", "b"], _attempts);
        Assert.Equal(["payload", "payload"], _bodies);
    }

    private async Task<HttpContext> SendAsync(ClusterState cluster, DestinationState picked, RetryOptions? options = null,
        ILoadBalancingPolicy[]? policies = null)
    {
        var context = Request(cluster, picked, "GET");
        await Middleware(options ?? new RetryOptions(), policies).InvokeAsync(context);
        return context;
    }

    private RetryMiddleware Middleware(RetryOptions options, ILoadBalancingPolicy[]? policies = null) =>
        new(ForwardAsync, new EventDrivenDestinationsPolicy(new InstanceHealthRegistry()),
            policies ?? [new WeightedLeastRequestsPolicy()], new StaticOptions(options), new RetryMetrics(_meters), _logger);

    /// <summary>What YARP's forwarder does with the destination load balancing left: fails it or answers from it.</summary>
    private async Task ForwardAsync(HttpContext context)
    {
        // YARP refuses to forward a request whose response status is not 200 any more.
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        var proxy = context.GetReverseProxyFeature();
        var destination = proxy.AvailableDestinations[0];
        proxy.ProxiedDestination = destination;
        _attempts.Add(destination.DestinationId);
        if (context.Request.ContentLength > 0)
        {
            using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
            _bodies.Add(await reader.ReadToEndAsync());
        }
        if (_failing.Contains(destination.DestinationId))
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            context.Features.Set<IForwarderErrorFeature>(new ForwarderFailure(ForwarderError.Request, Refused));
        }
    }

    private static HttpContext Request(ClusterState cluster, DestinationState picked, string method)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Features.Set<IReverseProxyFeature>(new ProxyFeature(
            new RouteModel(new RouteConfig { RouteId = "api", ClusterId = cluster.ClusterId }, cluster, HttpTransformer.Empty),
            cluster.Model)
        {
            AvailableDestinations = [picked],
        });
        return context;
    }

    private static (ClusterState Cluster, DestinationState[] All) Pool(string[] ids, string? policy = WeightedLeastRequestsPolicy.PolicyName)
    {
        var cluster = Destinations.Cluster(new ClusterConfig { ClusterId = "backend", LoadBalancingPolicy = policy });
        var all = ids.Select(id => Destinations.Create(id)).ToArray();
        cluster.DestinationsState = new ClusterDestinationsState(all, all);
        return (cluster, all);
    }

    private sealed class ProxyFeature(RouteModel route, ClusterModel cluster) : IReverseProxyFeature
    {
        public RouteModel Route { get; } = route;

        public ClusterModel Cluster { get; } = cluster;

        public IReadOnlyList<DestinationState> AllDestinations => Route.Cluster!.DestinationsState.AllDestinations;

        public IReadOnlyList<DestinationState> AvailableDestinations { get; set; } = [];

        public DestinationState? ProxiedDestination { get; set; }
    }

    private sealed class FixedPolicy(string name, string pick) : ILoadBalancingPolicy
    {
        public string Name { get; } = name;

        public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations) =>
            availableDestinations.Single(d => d.DestinationId == pick);
    }

    private sealed class StaticOptions(RetryOptions value) : IOptionsMonitor<RetryOptions>
    {
        public RetryOptions CurrentValue => value;

        public RetryOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<RetryOptions, string?> listener) => null;
    }
}
