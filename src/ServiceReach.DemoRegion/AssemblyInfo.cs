namespace ServiceReach.DemoRegion;
