namespace StarGuide.Monitoring.Tests.Drift;

public sealed class PromQlTests
{
    [Fact]
    public void Finds_selectors_with_their_matcher_labels_and_the_grouping_labels()
    {
        var q = PromQl.Parse("""
            sum by (job, zone) (rate(starguide_rate_limit_rejected_total{zone!="", job=~"gate.*"}[5m])) > 1
            and on (job) job:http_server_rate_limited:ratio_rate5m > 0.2
            """);

        Assert.Equal(["job:http_server_rate_limited:ratio_rate5m=", "starguide_rate_limit_rejected_total=job,zone"],
            q.Selectors.Select(s => $"{s.Metric}={string.Join(',', s.Labels.Order())}").Order());
        Assert.Equal(["job", "zone"], q.GroupingLabels.Order());
    }

    [Fact]
    public void Durations_numbers_keywords_and_functions_are_not_selectors()
    {
        var q = PromQl.Parse("histogram_quantile(0.99, sum by (le) (rate(x_bucket[1h30m] offset 5m))) * 26 * 3600 or vector(0) > bool 1e3");

        Assert.Equal(["x_bucket"], q.Selectors.Select(s => s.Metric));
    }

    [Fact]
    public void Label_replace_creates_its_destination_and_reads_its_source()
    {
        var q = PromQl.Parse("""label_replace(sum by (code) (rate(r[5m])), "code_class", "${1}xx", "code", "([1-5]).."), "x")""");

        Assert.Contains("code_class", q.CreatedLabels);
        Assert.Contains("code", q.GroupingLabels);
        Assert.Equal(["r"], q.Selectors.Select(s => s.Metric));
    }

    [Fact]
    public void A_name_matcher_names_the_metric()
    {
        var q = PromQl.Parse("""{__name__="up", job="x"} == 0""");

        Assert.Equal("up", Assert.Single(q.Selectors).Metric);
        Assert.Equal(["job"], q.Selectors[0].Labels);
    }

    [Fact]
    public void Template_labels_are_found_in_legends_and_annotations()
    {
        Assert.Equal(["pool", "state", "instance"], PromQl.TemplateLabels("{{pool}} {{ state }} on {{ $labels.instance }} {{ $value | humanize }}"));
    }
}
