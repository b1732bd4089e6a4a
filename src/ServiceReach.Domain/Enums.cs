namespace ServiceReach.Domain;

/// <summary>How often residents need a service; daily needs weigh more in the gap score (domain.md §4).</summary>
public enum NeedFrequency
{
    Daily,
    Weekly,
    Occasional,
}

/// <summary>How a service reaches residents: at a fixed place, travelling to the village, or online.</summary>
public enum Channel
{
    Physical,
    Mobile,
    Digital,
}

/// <summary>Lifecycle of a service point. Closed points are kept (with the date) because disappearing services are what users track.</summary>
public enum ServiceStatus
{
    Planned,
    Open,
    Closed,
}

/// <summary>The non-car ways residents reach a service.</summary>
public enum Mode
{
    Walk,
    ReducedMobilityWalk,
    Bike,
    EBike,
    BusWalk,
}

/// <summary>State of a stored analysis run.</summary>
public enum RunStatus
{
    Running,
    Succeeded,
    Failed,
}
