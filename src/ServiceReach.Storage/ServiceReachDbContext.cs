using Microsoft.EntityFrameworkCore;
using ServiceReach.Domain;

namespace ServiceReach.Storage;

/// <summary>
/// The PostGIS store. Geometries are WGS84 (SRID 4326) with GiST indexes; metric work happens in Belgian Lambert
/// (EPSG:3812/31370) either in SQL (<c>ST_Transform</c>) or in memory. Enums are stored as text so the tables read well in QGIS.
/// </summary>
public class ServiceReachDbContext(DbContextOptions<ServiceReachDbContext> options) : DbContext(options)
{
    public DbSet<Kern> Kernen => Set<Kern>();
    public DbSet<ServicePoint> ServicePoints => Set<ServicePoint>();
    public DbSet<ServiceCategory> ServiceCategories => Set<ServiceCategory>();
    public DbSet<PopulationUnit> PopulationUnits => Set<PopulationUnit>();
    public DbSet<Municipality> Municipalities => Set<Municipality>();
    public DbSet<Region> Regions => Set<Region>();
    public DbSet<KernNote> KernNotes => Set<KernNote>();
    public DbSet<AnalysisRun> AnalysisRuns => Set<AnalysisRun>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.HasPostgresExtension("postgis");

        b.Entity<Kern>(e =>
        {
            e.ToTable("kern");
            e.Property(x => x.Name).IsRequired();
            e.Property(x => x.Centre).HasColumnType("geometry(Point,4326)");
            e.Property(x => x.Boundary).HasColumnType("geometry(MultiPolygon,4326)");
            e.Property(x => x.Source).IsRequired();
            e.Property(x => x.SourceId).IsRequired();
            e.HasIndex(x => new { x.Source, x.SourceId }).IsUnique();
            e.HasIndex(x => x.Centre).HasMethod("gist");
            e.HasIndex(x => x.Boundary).HasMethod("gist");
            e.HasIndex(x => x.MunicipalityCode);
            e.HasMany(x => x.Notes).WithOne().HasForeignKey(n => n.KernId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<ServiceCategory>(e =>
        {
            e.ToTable("service_category");
            e.HasKey(x => x.Code);
            e.Property(x => x.NeedFrequency).HasConversion<string>();
            e.Property(x => x.DefaultChannel).HasConversion<string>();
        });

        b.Entity<ServicePoint>(e =>
        {
            e.ToTable("service_point");
            e.Property(x => x.Location).HasColumnType("geometry(Point,4326)");
            e.Property(x => x.Channel).HasConversion<string>();
            e.Property(x => x.Status).HasConversion<string>();
            e.HasIndex(x => new { x.Source, x.SourceId }).IsUnique();
            e.HasIndex(x => x.Location).HasMethod("gist");
            e.HasIndex(x => x.Status);
            e.HasOne<Kern>().WithMany().HasForeignKey(x => x.KernId).OnDelete(DeleteBehavior.SetNull);
            e.HasMany(x => x.Categories).WithMany(c => c.ServicePoints)
                .UsingEntity<Dictionary<string, object>>(
                    "service_point_category",
                    r => r.HasOne<ServiceCategory>().WithMany().HasForeignKey("category_code").OnDelete(DeleteBehavior.Restrict),
                    l => l.HasOne<ServicePoint>().WithMany().HasForeignKey("service_point_id").OnDelete(DeleteBehavior.Cascade),
                    j => j.HasKey("service_point_id", "category_code"));
        });

        b.Entity<PopulationUnit>(e =>
        {
            e.ToTable("population_unit");
            e.Property(x => x.Geometry).HasColumnType("geometry(Geometry,4326)");
            e.HasIndex(x => new { x.Source, x.SourceId }).IsUnique();
            e.HasIndex(x => x.Geometry).HasMethod("gist");
        });

        b.Entity<Municipality>(e =>
        {
            e.ToTable("municipality");
            e.Property(x => x.Boundary).HasColumnType("geometry(MultiPolygon,4326)");
            e.HasIndex(x => x.NisCode).IsUnique();
            e.HasIndex(x => x.Boundary).HasMethod("gist");
        });

        b.Entity<Region>(e =>
        {
            e.ToTable("region");
            e.Property(x => x.Boundary).HasColumnType("geometry(MultiPolygon,4326)");
            e.HasIndex(x => x.Name).IsUnique();
            e.HasIndex(x => x.Boundary).HasMethod("gist");
        });

        b.Entity<KernNote>(e =>
        {
            e.ToTable("kern_note");
            e.HasIndex(x => x.KernId);
        });

        b.Entity<AnalysisRun>(e =>
        {
            e.ToTable("analysis_run");
            e.Property(x => x.Status).HasConversion<string>();
            e.Property(x => x.Parameters).HasColumnType("jsonb");
            e.Property(x => x.Summary).HasColumnType("jsonb");
            e.HasIndex(x => x.StartedAt);
        });

        // snake_case columns, so the tables read naturally in SQL, QGIS and ogr2ogr.
        foreach (var entity in b.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }
        }
    }

    internal static string ToSnakeCase(string name)
    {
        var sb = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])))) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
