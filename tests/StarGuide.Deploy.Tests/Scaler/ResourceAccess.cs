using k8s.Models;
using StarGuide.Scaler.Tests.Drivers.Kubernetes;

namespace StarGuide.Deploy.Tests.Scaler;

/// <summary>What RBAC sees of a request: verb, API group, resource (with subresource) and object name.</summary>
internal sealed record ResourceAccess(string Verb, string Group, string Resource, string? Name)
{
    /// <summary>Reads a namespaced request's path as the API server does (<c>/api/v1/...</c> or <c>/apis/group/version/...</c>).</summary>
    public static ResourceAccess Of(ApiRequest request)
    {
        var pathAndQuery = request.PathAndQuery.Split('?', 2);
        var query = System.Web.HttpUtility.ParseQueryString(pathAndQuery.Length > 1 ? pathAndQuery[1] : "");
        var parts = pathAndQuery[0].Trim('/').Split('/');
        var (group, rest) = parts[0] switch
        {
            "api" => ("", parts[2..]),
            "apis" => (parts[1], parts[3..]),
            _ => throw new InvalidOperationException($"{request.PathAndQuery} is not an API path."),
        };
        if (rest.Length < 3 || rest[0] != "namespaces")
        {
            throw new InvalidOperationException($"{request.PathAndQuery}: only namespaced requests are read here.");
        }
        var resource = rest[2];
        var name = rest.Length > 3 ? rest[3] : null;
        if (rest.Length > 4)
        {
            resource += "/" + rest[4];
        }
        var verb = (request.Method, name) switch
        {
            ("GET", null) => query["watch"] == "true" ? "watch" : "list",
            ("GET", _) => "get",
            ("PUT", _) => "update",
            ("PATCH", _) => "patch",
            ("POST", _) => "create",
            ("DELETE", null) => "deletecollection",
            ("DELETE", _) => "delete",
            _ => throw new InvalidOperationException($"{request.Method} {request.PathAndQuery}: unknown verb."),
        };
        return new ResourceAccess(verb, group, resource, name);
    }

    public override string ToString() => $"{Verb} {(Group.Length == 0 ? "core" : Group)}/{Resource}{(Name is null ? "" : " " + Name)}";
}

internal static class PolicyRules
{
    /// <summary>Whether the rule allows the access, as RBAC decides it (resourceNames restrict by object name, never a list).</summary>
    public static bool Allows(this V1PolicyRule rule, ResourceAccess access) =>
        Matches(rule.ApiGroups, access.Group)
        && Matches(rule.Resources, access.Resource)
        && Matches(rule.Verbs, access.Verb)
        && (rule.ResourceNames is not { Count: > 0 } names || (access.Name is not null && names.Contains(access.Name)));

    private static bool Matches(IList<string>? allowed, string value) => allowed is not null && (allowed.Contains("*") || allowed.Contains(value));
}
