namespace ServiceReach.Domain;
