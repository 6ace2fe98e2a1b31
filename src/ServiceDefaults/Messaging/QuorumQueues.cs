using MassTransit;

namespace StarGuide.ServiceDefaults.Messaging;

/// <summary>
/// Quorum queues (<c>MessageBus:QuorumQueues</c>, on by default with a cluster): RabbitMQ replicates each queue and its
/// messages on a majority of the nodes and confirms a publish only once a majority has it, so that a node that dies
/// takes no message with it and its queues go on from another node within seconds. A classic queue lives on the node
/// that declared it: while that node is down the queue is gone, and what is published for it meanwhile is dropped.
/// </summary>
/// <remarks>
/// Every endpoint the services declare can be one: all are durable and none is exclusive or auto-delete (a quorum queue
/// can be neither); the replica queues' expiry (<c>x-expires</c>) is supported. MassTransit's <c>_error</c> and
/// <c>_skipped</c> queues copy the endpoint's arguments, so they are quorum queues too. MassTransit's own bus endpoint
/// (a temporary, auto-delete queue for replies) is declared only for request/response, which nothing here uses.
/// </remarks>
internal static class QuorumQueues
{
    public static void Configure(IReceiveEndpointConfigurator endpoint)
    {
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SetQuorumQueue();
        }
    }
}
