namespace ServiceReach.Bench.Routing;

internal static class PgRoutingComparison
{
    public static Task<int> Run(string[] args) => Task.FromResult(0);
}
