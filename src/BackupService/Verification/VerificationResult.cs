namespace StarGuide.BackupService.Verification;

/// <summary>Whether an archive is whole; <see cref="Problem"/> says what is wrong when it is not.</summary>
internal sealed record VerificationResult(string Archive, bool IsValid, string? Problem, int Entries)
{
    public static VerificationResult Valid(string archive, int entries) => new(archive, true, null, entries);

    public static VerificationResult Invalid(string archive, string problem) => new(archive, false, problem, 0);
}
