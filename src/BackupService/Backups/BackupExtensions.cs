using MassTransit;
using StarGuide.BackupService.Messaging;
using StarGuide.BackupService.Retention;
using StarGuide.BackupService.Scheduling;
using StarGuide.BackupService.Verification;
using StarGuide.ServiceDefaults;

namespace StarGuide.BackupService.Backups;

internal static class BackupExtensions
{
    /// <summary>Backups as a service: the core, events on the bus, the schedule and the start-up clean-up.</summary>
    public static WebApplicationBuilder AddBackups(this WebApplicationBuilder builder)
    {
        builder.Services.AddBackupCore();
        builder.Services.AddEventOutbox();
        builder.Services.AddSingleton<IBackupEvents, OutboxBackupEvents>();
        builder.Services.AddHostedService<BackupStartup>();
        builder.Services.AddHostedService<BackupScheduler>();
        return builder;
    }

    /// <summary>What the service and the command line share; events go where the caller registers them.</summary>
    public static IServiceCollection AddBackupCore(this IServiceCollection services)
    {
        services.AddValidatedOptions<BackupOptions, BackupOptionsValidator>(BackupOptions.SectionName);
        services.AddMetrics();
        services.AddSingleton<BackupMetrics>();
        services.AddSingleton<BackupLock>();
        services.AddSingleton<VerificationLedger>();
        services.AddSingleton<RetentionCleaner>();
        services.AddSingleton<BackupRunner>();
        services.AddSingleton<Restore.RestoreLock>();
        return services;
    }

    public static IBusRegistrationConfigurator AddBackupConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<BackupRequestedConsumer>();
        return bus;
    }
}
