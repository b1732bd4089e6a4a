using ServiceReach.Api;
using ServiceReach.Api.Infrastructure;

// `ServiceReach.Api hash-key NAME KEY` prints the entry to put in ServiceReach:ApiKeys (the key itself is never stored).
if (args is ["hash-key", var name, var key])
{
    Console.WriteLine(ApiKeys.Hash(name, key));
    return;
}

var app = ServiceReachApp.Create(args);
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
