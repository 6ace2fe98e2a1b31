using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace StarGuide.ServiceDefaults.Management;

public static class ManagementAccessExtensions
{
    /// <summary>Binds and validates <c>Management</c> (at start, naming the key) and registers the gate.</summary>
    public static IServiceCollection AddManagementAccess(this IServiceCollection services)
    {
        services.AddValidatedOptions<ManagementAccessOptions, ManagementAccessOptionsValidator>(ManagementAccessOptions.SectionName);
        services.TryAddSingleton<ManagementAccess>();
        return services;
    }

    /// <summary>
    /// Endpoints (or a group) that answer only to a caller with <paramref name="role"/> from an allowed network;
    /// <paramref name="what"/> completes the refusal, e.g. "pools are". <paramref name="cookie"/>: see
    /// <see cref="ManagementAccess.Authorize"/>.
    /// </summary>
    public static TBuilder RequireManagement<TBuilder>(this TBuilder builder, ManagementRole role, string what, string? cookie = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var decision = http.RequestServices.GetRequiredService<ManagementAccess>().Authorize(http, role, what, cookie);
            return decision.Allowed ? await next(context) : decision.AsResult();
        });

    /// <summary>The same gate as middleware, for a branch of the pipeline (the gateway's management port, <c>/metrics</c>).</summary>
    public static IApplicationBuilder UseManagementAccess(this IApplicationBuilder app, ManagementRole role, string what)
    {
        var access = app.ApplicationServices.GetRequiredService<ManagementAccess>();
        return app.Use((context, next) =>
        {
            var decision = access.Authorize(context, role, what);
            return decision.Allowed ? next(context) : ManagementAccess.WriteAsync(context, decision);
        });
    }

    /// <summary>A refusal as an endpoint's result (<see cref="ManagementAccess.WriteAsync"/>).</summary>
    public static IResult AsResult(this ManagementDecision decision) => new Refusal(decision);

    private sealed class Refusal(ManagementDecision decision) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => ManagementAccess.WriteAsync(httpContext, decision);
    }
}
