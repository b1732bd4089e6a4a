using System.IO.Compression;
using System.Text;

namespace ServiceReach.Transit.Tests;

/// <summary>A small GTFS feed written by a test into a temporary folder (deleted on dispose).</summary>
public sealed class TestFeed : IDisposable
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "sr-gtfs-" + Guid.NewGuid().ToString("N"));

    public const string Agency = "agency_id,agency_name,agency_url,agency_timezone\nA,Test,http://example.org,Europe/Brussels\n";
    public const string Routes = "route_id,agency_id,route_short_name,route_long_name,route_type\nR1,A,1,One,3\nR2,A,2,Two,3\nR3,A,3,Three,3\n";
    /// <summary>Service WK runs Monday–Friday in January 2024 (2024-01-01 is a Monday).</summary>
    public const string WeekdayCalendar = "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWK,1,1,1,1,1,0,0,20240101,20240131\n";

    public TestFeed(params (string Name, string Content)[] files)
    {
        Directory.CreateDirectory(Folder);
        foreach (var (name, content) in files) Write(name, content);
    }

    /// <summary>A feed with the standard agency, routes and weekday calendar plus the given files.</summary>
    public static TestFeed Standard(string stops, string trips, string stopTimes, params (string Name, string Content)[] extra)
    {
        var files = new List<(string, string)> { ("agency.txt", Agency), ("routes.txt", Routes), ("calendar.txt", WeekdayCalendar), ("stops.txt", stops), ("trips.txt", trips), ("stop_times.txt", stopTimes) };
        foreach (var e in extra)
        {
            files.RemoveAll(f => f.Item1 == e.Name);
            files.Add(e);
        }
        return new TestFeed([.. files]);
    }

    public void Write(string name, string content) => File.WriteAllText(Path.Combine(Folder, name), content, new UTF8Encoding(false));
    public void WriteBytes(string name, byte[] content) => File.WriteAllBytes(Path.Combine(Folder, name), content);
    public void Delete(string name) => File.Delete(Path.Combine(Folder, name));

    public string Zip()
    {
        var zip = Folder + ".zip";
        if (File.Exists(zip)) File.Delete(zip);
        ZipFile.CreateFromDirectory(Folder, zip);
        return zip;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, true);
            if (File.Exists(Folder + ".zip")) File.Delete(Folder + ".zip");
        }
        catch (IOException) { }
    }
}
