namespace ServiceReach.Routing;
