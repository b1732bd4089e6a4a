using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using ServiceReach.Api.Infrastructure;
using ServiceReach.Testing;

[assembly: AssemblyFixture(typeof(ServiceReach.Api.Tests.ApiFixture))]

namespace ServiceReach.Api.Tests;

/// <summary>
/// One scratch PostGIS database with the demo region for the whole test assembly, served twice: in memory through
/// WebApplicationFactory (API tests) and on a real loopback Kestrel port (browser and GDAL clients). Tests that write use
/// their own kern/category names or count before and after, so they do not disturb each other.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string Key = "test-key-0123456789";
    public static readonly string KeyEntry = ApiKeys.Hash("tests", Key, Convert.FromHexString("00112233445566778899AABBCCDDEEFF"));

    private WebApplication? _kestrel;
    private readonly string _cache = Path.Combine(Path.GetTempPath(), "servicereach-api-tests-cache");

    public string ConnectionString { get; private set; } = "";
    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        ConnectionString = PostGisServer.CreateScratchDatabase("api_tests");
        await DemoDatabase.LoadAsync(ConnectionString);
        var settings = DemoDatabase.Settings(ConnectionString, _cache);
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            foreach (var (k, v) in settings) b.UseSetting(k, v);
        });
    }

    /// <summary>The base URL of the same service on a real loopback port, started on first use.</summary>
    public async Task<string> KestrelUrlAsync()
    {
        if (_kestrel is null)
        {
            var settings = DemoDatabase.Settings(ConnectionString, _cache);
            _kestrel = ServiceReachApp.Create(["--urls", "http://127.0.0.1:0"], b => b.Configuration.AddInMemoryCollection(settings));
            await _kestrel.StartAsync();
        }
        return _kestrel.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public HttpClient Client() => Factory.CreateClient();

    public HttpClient KeyClient()
    {
        var c = Factory.CreateClient();
        c.DefaultRequestHeaders.Add("X-Api-Key", Key);
        return c;
    }

    public async ValueTask DisposeAsync()
    {
        if (_kestrel is not null) await _kestrel.DisposeAsync();
        await Factory.DisposeAsync();
        if (ConnectionString.Length > 0) PostGisServer.DropScratchDatabase(ConnectionString);
    }
}
