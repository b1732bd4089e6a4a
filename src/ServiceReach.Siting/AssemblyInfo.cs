namespace ServiceReach.Siting;
