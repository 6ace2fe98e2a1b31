using Microsoft.Extensions.Options;
using StarGuide.BackupService.Archiving;
using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Restore;
using StarGuide.BackupService.Verification;
using StarGuide.ServiceDefaults.Management;

namespace StarGuide.BackupService.Http;

/// <summary>
/// <c>/backups</c>: start one (202, or 409 while one runs), follow a run, list, verify and restore. Verify and restore
/// answer when done; a backup runs in the background because it can take minutes. Listing and following need a
/// management token that may read, everything else one that may operate; all only from <c>Management:AllowedNetworks</c>.
/// </summary>
internal static class BackupEndpoints
{
    public static WebApplication MapBackupEndpoints(this WebApplication app)
    {
        var backups = app.MapGroup("/backups").RequireManagement(ManagementRole.Read, "backups are");
        backups.MapPost("/", Start).RequireManagement(ManagementRole.Operate, "starting a backup is");
        backups.MapGet("/runs/{id:guid}", RunStatus);
        backups.MapGet("/", List);
        backups.MapPost("/{name}/verify", Verify).RequireManagement(ManagementRole.Operate, "verifying a backup is");
        backups.MapPost("/{name}/restore", RestoreInto).RequireManagement(ManagementRole.Operate, "restoring a backup is");
        return app;
    }

    private static IResult Start(BackupRunner runner, HttpContext context)
    {
        var requestedBy = $"http {context.ManagementAuditName()}";
        if (runner.TryStart(Guid.NewGuid(), requestedBy) is not { } run)
        {
            return Results.Json(new { error = "a backup is already running", runningBackupId = runner.RunningId },
                statusCode: StatusCodes.Status409Conflict);
        }
        return Results.Accepted($"/backups/runs/{run.Id}", RunView.Of(run));
    }

    private static IResult RunStatus(Guid id, BackupRunner runner) =>
        runner.Find(id) is { } run ? Results.Ok(RunView.Of(run)) : Results.NotFound();

    private static IResult List(IOptions<BackupOptions> options, VerificationLedger ledger) =>
        Results.Ok(BackupCatalog.List(options.Value.Destination).Select(a => new
        {
            name = a.Name,
            createdAt = a.CreatedAt,
            sizeBytes = new FileInfo(a.Path).Length,
            verified = ledger.Known(a.Path) switch
            {
                null => "unchecked",
                { IsValid: true } => "verified",
                _ => "corrupt",
            },
            problem = ledger.Known(a.Path)?.Problem,
        }));

    private static async Task<IResult> Verify(string name, IOptions<BackupOptions> options, VerificationLedger ledger, CancellationToken cancellationToken)
    {
        if (ArchivePath(options.Value, name) is not { } path)
        {
            return Results.NotFound(new { error = $"no backup named '{name}'" });
        }
        var result = await ledger.VerifyAsync(path, cancellationToken);
        return result.IsValid
            ? Results.Ok(new { name, verified = true, entries = result.Entries })
            : Results.UnprocessableEntity(new { name, verified = false, problem = result.Problem });
    }

    private static async Task<IResult> RestoreInto(
        string name, RestoreRequest request, IOptions<BackupOptions> options, RestoreLock restoreLock, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // Off unless the operator chose where HTTP restores may write: no default place is safe on every machine.
        if (string.IsNullOrEmpty(settings.Restore.Root))
        {
            return Results.Json(new { error = $"restore over HTTP is off: set {RestoreOptions.RootKey} to the folder HTTP restores may write under, or restore with the command line" },
                statusCode: StatusCodes.Status403Forbidden);
        }
        if (ArchivePath(settings, name) is not { } path)
        {
            return Results.NotFound(new { error = $"no backup named '{name}'" });
        }
        if (!RestoreTarget.TryResolve(settings.Restore.Root, request.Target, out var target, out var problem))
        {
            return Results.BadRequest(new { error = problem });
        }
        using var held = restoreLock.TryAcquire(settings.Destination);
        if (held is null)
        {
            return Results.Json(new { error = "a restore is already running: one restore runs at a time" }, statusCode: StatusCodes.Status409Conflict);
        }
        try
        {
            return Results.Ok(await ArchiveRestorer.RestoreAsync(path, target, RestorePolicy.Http(settings.Restore, settings.Restore.Root), cancellationToken));
        }
        catch (Exception ex) when (ex is BackupException or IOException or UnauthorizedAccessException)
        {
            return Results.UnprocessableEntity(new { name, error = ex.Message });
        }
    }

    private static string? ArchivePath(BackupOptions options, string name) =>
        BackupFileNames.IsArchiveName(name) && File.Exists(Path.Combine(options.Destination, name))
            ? Path.Combine(options.Destination, name)
            : null;
}

/// <summary>Body of <c>POST /backups/{name}/restore</c>: a folder inside <c>Backup:Restore:Root</c>, relative to it or absolute.</summary>
internal sealed record RestoreRequest(string? Target);

/// <summary>A run as the HTTP API shows it.</summary>
internal sealed record RunView(Guid BackupId, string State, string? Archive, string? Reason)
{
    public static RunView Of(BackupRun run) => new(run.Id, run.State.ToString().ToLowerInvariant(), run.Archive, run.Reason);
}
