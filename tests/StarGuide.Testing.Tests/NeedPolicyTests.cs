namespace StarGuide.Testing.Tests;

/// <summary>When a test that lacks something skips, and when it fails instead (STARGUIDE_CI, STARGUIDE_REQUIRE, STARGUIDE_ALLOW_SKIP).</summary>
public sealed class NeedPolicyTests
{
    private const string Problem = "no Docker engine answers at unix:///nowhere";

    private static NeedPolicy With(params (string Name, string Value)[] variables) =>
        new(name => variables.FirstOrDefault(v => v.Name == name).Value);

    [Fact]
    public void A_need_that_is_met_does_nothing_whatever_the_run_requires()
    {
        With((NeedPolicy.CiVariable, "1")).Check(Need.Docker, problem: null);
    }

    [Fact]
    public void Without_variables_a_missing_need_skips_with_a_message_that_starts_with_skip_and_its_name()
    {
        var skip = Assert.Throws<SkipException>(() => With().Check(Need.Docker, Problem));

        Assert.Equal($"skip: docker: {Problem}", skip.Message);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("true")]
    public void On_CI_a_need_that_CI_provides_fails_the_test_and_says_how_to_let_it_skip(string ci)
    {
        var error = Assert.Throws<NeedMissingException>(() => With((NeedPolicy.CiVariable, ci)).Check(Need.Docker, Problem));

        Assert.Equal(
            $"this run requires docker (STARGUIDE_CI=1, and CI's machine has it), but: {Problem}. "
            + "Fix that, or let tests skip for it with STARGUIDE_ALLOW_SKIP=docker.",
            error.Message);
    }

    [Fact]
    public void On_CI_a_need_that_CI_does_not_provide_still_skips()
    {
        var policy = With((NeedPolicy.CiVariable, "1"));

        Assert.Throws<SkipException>(() => policy.Check(Need.Benchmarks, "STARGUIDE_BENCH is not 1"));
        Assert.Throws<SkipException>(() => policy.Check(Need.Kubectl, "no kubectl"));
        Assert.Throws<SkipException>(() => policy.Check(Need.DockerImages, "no image"));
    }

    [Fact]
    public void Every_need_CI_provides_is_required_on_CI_and_only_those()
    {
        var policy = With((NeedPolicy.CiVariable, "1"));

        Assert.Equal(
            ["docker", "busybox-static", "haproxy", "prometheus", "redis-server", "own-servers", "tmpfs-mount"],
            Need.All.Where(policy.Requires).Select(n => n.Name));
        Assert.DoesNotContain(Need.All, With().Requires);
        Assert.DoesNotContain(Need.All, With((NeedPolicy.CiVariable, "0")).Requires);
    }

    [Fact]
    public void STARGUIDE_ALLOW_SKIP_lets_a_need_skip_on_CI_and_STARGUIDE_REQUIRE_makes_one_fail_anywhere()
    {
        Assert.Throws<SkipException>(() =>
            With((NeedPolicy.CiVariable, "1"), (NeedPolicy.AllowSkipVariable, "docker, haproxy")).Check(Need.Docker, Problem));
        var error = Assert.Throws<NeedMissingException>(() => With((NeedPolicy.RequireVariable, "kubectl")).Check(Need.Kubectl, "no kubectl"));
        Assert.StartsWith("this run requires kubectl (STARGUIDE_REQUIRE names it), but: no kubectl.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(NeedPolicy.RequireVariable, "docker,dokcer", "STARGUIDE_REQUIRE names 'dokcer', which is none of the needs: docker, docker-images, ")]
    [InlineData(NeedPolicy.AllowSkipVariable, "everything", "STARGUIDE_ALLOW_SKIP names 'everything', which is none of the needs: docker, ")]
    [InlineData(NeedPolicy.CiVariable, "yes", "STARGUIDE_CI must be 1 or true (or 0, false, unset), but is 'yes'.")]
    public void A_bad_value_fails_naming_the_variable(string variable, string value, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => With((variable, value)).Check(Need.Docker, Problem));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void STARGUIDE_SKIP_LOG_gets_one_line_per_skip()
    {
        var log = Path.Combine(Path.GetTempPath(), $"starguide-skips-{Guid.NewGuid():N}.log");
        try
        {
            var policy = With((NeedPolicy.SkipLogVariable, log));

            Assert.Throws<SkipException>(() => policy.Check(Need.Docker, Problem));
            Assert.Throws<SkipException>(() => policy.Check(Need.Kubectl, "no kubectl\non PATH"));

            Assert.Equal([$"skip: docker: {Problem}", "skip: kubectl: no kubectl on PATH"], File.ReadAllLines(log));
        }
        finally
        {
            File.Delete(log);
        }
    }
}
